package io.reprise.cli;

import io.reprise.audit.Audit;
import io.reprise.audit.AuditException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Scores a repository's reproducibility 0-100 and places it on the maturity levels 0 (Chaos),"
                    + " 1 (Aware), 2 (Standard), 3 (Enforced), 4 (Auditable), with a list of what to fix, biggest"
                    + " gain first.",
            "Categories: environment, configuration, randomness, tracking, data, automation, documentation, and"
                    + " with --tracking-uri team evidence from the server. Details: docs/audit.md."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the audit ran (and the score is at least --fail-under)",
            "1:the score is below --fail-under",
            "2:bad arguments (no such folder, not a git repository...)",
            "3:the tracking server cannot be reached"
        })
final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "PATH",
            description = "The repository folder to audit (default: the current folder).")
    Path path;

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "Output: text, json or sarif (default: ${DEFAULT-VALUE}).")
    String format; // checked in call(): a bad value is one line, not the whole usage

    @Option(
            names = "--fail-under",
            paramLabel = "N",
            description = "Exit 1 when the score is below N (0-100): a CI gate.")
    Integer failUnder;

    @Option(
            names = "--tracking-uri",
            paramLabel = "URL",
            description = "The team's Reprise server: adds the team evidence (policy enforced, compliant runs,"
                    + " reproduced runs); needed for levels 3 and 4.")
    String trackingUri;

    @Option(
            names = "--experiment",
            paramLabel = "NAME",
            description = "The experiment whose runs are the team evidence (default: every experiment).")
    String experiment;

    @Option(
            names = "--record",
            description = "Record the score and level on the --experiment (experiment tags reprise.audit.*),"
                    + " where the web UI's compliance page shows them.")
    boolean record;

    @Option(
            names = "--limit",
            defaultValue = "25",
            paramLabel = "N",
            description = "Findings listed in text output (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            Audit.Format output = Audit.Format.parse(format);
            if (output == null) {
                return AuditCli.usage(spec, "--format must be text, json or sarif, not '" + format + "'");
            }
            if (failUnder != null && (failUnder < 0 || failUnder > 100)) {
                return AuditCli.usage(spec, "--fail-under must be between 0 and 100, got " + failUnder);
            }
            if (experiment != null && trackingUri == null) {
                return AuditCli.usage(
                        spec, "--experiment needs --tracking-uri (the experiment's runs are read from the server)");
            }
            if (record && experiment == null) {
                return AuditCli.usage(
                        spec, "--record needs --experiment NAME and --tracking-uri URL (where to record)");
            }
            URI server = trackingUri == null ? null : AuditCli.httpUri(trackingUri);
            if (trackingUri != null && server == null) {
                return AuditCli.usage(
                        spec,
                        "--tracking-uri must be http(s)://HOST:PORT of a Reprise server, not '" + trackingUri + "'");
            }
            Audit audit = Audit.run(path == null ? Path.of("") : path, server, experiment, System.getenv());
            PrintWriter out = spec.commandLine().getOut();
            out.print(audit.render(output, Math.max(1, limit)));
            out.flush();
            if (record) {
                audit.record(server, experiment, System.getenv());
                err.println("reprise audit: recorded level " + audit.level() + " (score " + audit.score()
                        + ") on experiment '" + experiment + "'");
                err.flush();
            }
            if (failUnder != null && audit.score() < failUnder) {
                err.println("reprise audit: score " + audit.score() + " is below --fail-under " + failUnder);
                err.flush();
                return ExitCodes.CHECK_FAILED;
            }
            return ExitCodes.OK;
        } catch (AuditException e) {
            return AuditCli.failed(spec, e, e.unavailable() ? ExitCodes.UNAVAILABLE : ExitCodes.USAGE);
        }
    }
}
