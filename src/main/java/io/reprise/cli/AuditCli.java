package io.reprise.cli;

import io.reprise.audit.AuditException;
import java.io.PrintWriter;
import java.net.URI;
import picocli.CommandLine.Model.CommandSpec;

/** What {@code reprise audit} and {@code reprise init} share: the server URI check and one-line errors. */
final class AuditCli {
    private AuditCli() {}

    /** {@code uri} as http(s)://HOST[:PORT][/path], or null when it is not one. */
    static URI httpUri(String uri) {
        try {
            URI parsed = URI.create(uri.strip());
            boolean http = "http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme());
            return http && parsed.getHost() != null ? parsed : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A bad option: one line, then where to read about the options; exit code 2. */
    static int usage(CommandSpec spec, String message) {
        String name = "reprise " + spec.name();
        PrintWriter err = spec.commandLine().getErr();
        err.println(name + ": " + message);
        err.println("Try '" + name + " --help' for the options.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** A failure the user can fix: one line and a hint; {@code exitCode} says which kind. */
    static int failed(CommandSpec spec, AuditException e, int exitCode) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("reprise " + spec.name() + ": " + e.getMessage());
        err.println("Hint: " + e.hint());
        err.flush();
        return exitCode;
    }
}
