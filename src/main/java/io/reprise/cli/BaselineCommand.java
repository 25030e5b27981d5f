package io.reprise.cli;

import io.reprise.reproduce.Baseline;
import io.reprise.reproduce.Reproducer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "baseline",
        mixinStandardHelpOptions = true,
        description = {
            "The run a newcomer reproduces to prove their setup ('reprise reproduce --baseline').",
            "It is kept in .reprise/baseline.json (commit it) and in the experiment tag reprise.baseline."
        })
final class BaselineCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Makes RUN_ID the baseline: writes .reprise/baseline.json and tags its experiment.")
    static final class Set implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_ID", description = "The baseline run.")
        String runId;

        @Option(
                names = "--tracking-uri",
                paramLabel = "URL",
                description = "Tracking server (default: $MLFLOW_TRACKING_URI).")
        String trackingUri;

        @Override
        public Integer call() {
            PrintStream err = System.err;
            try {
                URI uri = Cli.trackingUri(trackingUri);
                Path file = Baseline.set(Path.of("").toAbsolutePath(), uri, System.getenv(), runId);
                System.out.println("baseline: run " + runId + " (" + file + ")");
                System.out.println("commit it so the team shares it: git add " + Baseline.FILE);
                return ExitCodes.OK;
            } catch (IllegalArgumentException e) {
                return Cli.usage(err, "baseline set", e.getMessage());
            } catch (Reproducer.Unavailable e) {
                err.println("reprise baseline set: " + e.getMessage());
                return e.unreachable() ? ExitCodes.UNAVAILABLE : ExitCodes.USAGE;
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Shows the baseline run: its metrics and its last reproduction verdict.")
    static final class Show implements Callable<Integer> {
        @Option(
                names = "--tracking-uri",
                paramLabel = "URL",
                description = "Tracking server (default: $MLFLOW_TRACKING_URI, else the file's).")
        String trackingUri;

        @Option(
                names = "--experiment",
                paramLabel = "NAME",
                description = "Read the experiment's reprise.baseline tag instead of .reprise/baseline.json.")
        String experiment;

        @Override
        public Integer call() {
            PrintStream err = System.err;
            try {
                Optional<Baseline> file = experiment != null
                        ? Optional.empty()
                        : Baseline.read(Path.of("").toAbsolutePath());
                String fallback = file.map(Baseline::trackingUri)
                        .filter(s -> !s.isEmpty())
                        .orElse(null);
                URI uri = Cli.trackingUri(
                        trackingUri != null
                                ? trackingUri
                                : System.getenv().getOrDefault("MLFLOW_TRACKING_URI", fallback));
                String runId = file.map(Baseline::runId).orElse(null);
                if (runId == null && experiment != null) {
                    runId = Baseline.ofExperiment(uri, System.getenv(), experiment)
                            .orElse(null);
                }
                if (runId == null) {
                    return Cli.usage(
                            err,
                            "baseline show",
                            "no baseline: no " + Baseline.FILE + " in this repository"
                                    + (experiment == null
                                            ? ""
                                            : " and experiment '" + experiment + "' has no reprise.baseline tag")
                                    + "; set one with 'reprise baseline set RUN_ID'");
                }
                file.ifPresent(b -> System.out.println("from " + Baseline.FILE));
                Baseline.describe(uri, System.getenv(), runId).forEach(System.out::println);
                return ExitCodes.OK;
            } catch (IllegalArgumentException e) {
                return Cli.usage(err, "baseline show", e.getMessage());
            } catch (Reproducer.Unavailable e) {
                err.println("reprise baseline show: " + e.getMessage());
                return e.unreachable() ? ExitCodes.UNAVAILABLE : ExitCodes.USAGE;
            }
        }
    }
}
