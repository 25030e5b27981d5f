package io.reprise.cli;

import io.reprise.check.GateResult;
import io.reprise.check.Tracking;
import io.reprise.client.MlflowHttp;
import java.io.PrintWriter;
import java.net.URI;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every {@code reprise check} gate shares, and how a gate's result is printed. */
final class CheckOptions {
    enum Format {
        text,
        json
    }

    @Option(
            names = "--tracking-uri",
            paramLabel = "URI",
            description = "The Reprise server (default: $MLFLOW_TRACKING_URI).")
    String trackingUri;

    @Option(
            names = "--format",
            defaultValue = "text",
            description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    /** A bad argument found while running: one line and a hint, exit code 2. */
    static final class Usage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }

    /** Runs a gate against the server and prints its result; the exit code is 0 (pass) or 1 (fail). */
    int run(CommandLine cmd, java.util.function.Supplier<Function<Tracking, GateResult>> gate) {
        String name = cmd.getCommandSpec().qualifiedName();
        GateResult result;
        try {
            Function<Tracking, GateResult> g = gate.get();
            result = g.apply(new Tracking(server(), System.getenv()));
        } catch (Usage u) {
            cmd.getErr().println(name + ": " + u.getMessage());
            cmd.getErr().println("Try '" + name + " --help' for the options.");
            cmd.getErr().flush();
            return ExitCodes.USAGE;
        } catch (MlflowHttp.Failure f) {
            cmd.getErr().println(name + ": " + f.getMessage());
            if ("UNREACHABLE".equals(f.code())) {
                cmd.getErr().println("Check --tracking-uri / MLFLOW_TRACKING_URI and that the server is running.");
                cmd.getErr().flush();
                return ExitCodes.UNAVAILABLE;
            }
            cmd.getErr().flush();
            return ExitCodes.CHECK_FAILED;
        }
        PrintWriter out = cmd.getOut();
        if (format == Format.json) {
            out.println(result.json().toPrettyString());
        } else {
            result.lines().forEach(out::println);
        }
        out.flush();
        return result.passed() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private URI server() {
        String uri = trackingUri != null ? trackingUri : System.getenv("MLFLOW_TRACKING_URI");
        if (uri == null || uri.isBlank()) {
            throw new Usage("no tracking server: pass --tracking-uri http://HOST:PORT or set MLFLOW_TRACKING_URI");
        }
        URI parsed;
        try {
            parsed = URI.create(uri.strip());
        } catch (IllegalArgumentException e) {
            throw new Usage("not a URI: '" + uri + "'");
        }
        if ((!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())) || parsed.getHost() == null) {
            throw new Usage("the tracking URI must be http(s)://HOST:PORT of a Reprise server, not '" + uri + "'");
        }
        return parsed;
    }
}
