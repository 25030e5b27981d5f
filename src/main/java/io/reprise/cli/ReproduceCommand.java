package io.reprise.cli;

import io.reprise.reproduce.Outcome;
import io.reprise.reproduce.Reproducer;
import io.reprise.reproduce.Tolerance;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "reproduce",
        mixinStandardHelpOptions = true,
        description = {
            "Reruns a run recorded by 'reprise run' from its manifest: checks out its commit in a fresh",
            "folder (re-applying its uncommitted diff), restores its DVC data, runs its command with the",
            "recorded seed, environment and configs as a new run in the same experiment, compares every",
            "final metric and output artifact, and records REPRODUCED, DIVERGED or FAILED on the original.",
            "",
            "  reprise reproduce 1ff8c38425e24b81ba3a33ae1e66e2d4",
            "  reprise reproduce RUN_ID --tolerance loss=rel:1e-6 --atol 1e-9",
            "",
            "Exit codes: 0 REPRODUCED, 1 DIVERGED, 4 FAILED, 2 bad usage or unknown run,",
            "3 tracking server unreachable, 130 interrupted (nothing recorded)."
        })
final class ReproduceCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "RUN_ID", description = "The run to reproduce.")
    String runId;

    @Option(
            names = "--tracking-uri",
            paramLabel = "URL",
            description = "Tracking server (default: $MLFLOW_TRACKING_URI).")
    String trackingUri;

    @Option(
            names = "--tolerance",
            paramLabel = "METRIC=rel:X|abs:X",
            description = "Allowed difference for one metric (relative to the original, or absolute). Repeatable.")
    List<String> tolerances = new ArrayList<>();

    @Option(names = "--rtol", paramLabel = "X", description = "Relative tolerance for every other metric (default 0).")
    double rtol;

    @Option(names = "--atol", paramLabel = "X", description = "Absolute tolerance for every other metric (default 0).")
    double atol;

    @Option(names = "--keep", description = "Keep the checkout (its path is printed) instead of removing it.")
    boolean keep;

    @Option(names = "--json", description = "Print the full report as JSON on stdout.")
    boolean json;

    @Option(
            names = "--repo",
            paramLabel = "PATH",
            description = "Local clone to take the commit from (default: the git repository here).")
    Path repo;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream err = System.err;
        URI uri;
        Reproducer.Options options;
        try {
            uri = Cli.trackingUri(trackingUri);
            options = options();
            if (runId == null) {
                throw new IllegalArgumentException("give the RUN_ID to reproduce");
            }
        } catch (IllegalArgumentException e) {
            return Cli.usage(err, "reproduce", e.getMessage());
        }
        Reproducer reproducer = new Reproducer(uri, System.getenv(), err);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> Cli.stopAndWait(reproducer::stop, done), "reprise-reproduce-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Outcome o = reproducer.reproduce(runId, options);
            print(o);
            return exitCode(o);
        } catch (Reproducer.Unavailable e) {
            err.println("reprise reproduce: " + e.getMessage());
            if (e.unreachable()) {
                err.println("Check --tracking-uri / MLFLOW_TRACKING_URI and that the server is running.");
                return ExitCodes.UNAVAILABLE;
            }
            err.println("Check the run id (reprise reproduce RUN_ID) and the tracking server.");
            return ExitCodes.USAGE;
        } catch (Reproducer.Stopped e) {
            err.println("reprise reproduce: " + e.getMessage());
            return ExitCodes.INTERRUPTED;
        } finally {
            done.countDown();
        }
    }

    static int exitCode(Outcome o) {
        return switch (o.verdict()) {
            case REPRODUCED -> ExitCodes.OK;
            case DIVERGED -> ExitCodes.DIVERGED;
            case FAILED -> ExitCodes.REPRODUCTION_FAILED;
        };
    }

    private void print(Outcome o) {
        PrintStream out = System.out;
        if (json) {
            out.println(Cli.json(o.json()));
            return;
        }
        Cli.report(o).forEach(out::println);
        out.flush();
    }

    Reproducer.Options options() {
        Map<String, Tolerance> per = new LinkedHashMap<>();
        for (String t : tolerances) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--tolerance '" + t + "' must be METRIC=rel:X or METRIC=abs:X");
            }
            per.put(t.substring(0, eq), Tolerance.parse(t.substring(eq + 1)));
        }
        if (!(rtol >= 0) || !(atol >= 0)) {
            throw new IllegalArgumentException("--rtol and --atol must be numbers >= 0");
        }
        return new Reproducer.Options(per, new Tolerance(rtol, atol), keep, repo);
    }
}
