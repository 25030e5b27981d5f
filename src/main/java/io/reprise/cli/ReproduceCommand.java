package io.reprise.cli;

import io.reprise.reproduce.Baseline;
import io.reprise.reproduce.Outcome;
import io.reprise.reproduce.Reproducer;
import io.reprise.reproduce.Sampler;
import io.reprise.reproduce.Tolerance;
import io.reprise.reproduce.Verdict;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
            "  reprise reproduce --sample 5 --experiment churn --since 90d    (an audit: a random sample)",
            "  reprise reproduce --baseline                (the run in .reprise/baseline.json)",
            "",
            "Exit codes: 0 REPRODUCED, 1 DIVERGED, 4 FAILED (for --sample: the worst verdict), 2 bad usage",
            "or unknown run, 3 tracking server unreachable, 130 interrupted (nothing recorded)."
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

    @Option(
            names = "--no-env-rebuild",
            description = "For a plain command whose interpreter's packages differ from the record, run in the"
                    + " current environment (the differences are listed) instead of rebuilding a virtual environment"
                    + " from the recorded pinned requirements file.")
    boolean noEnvRebuild;

    @Option(names = "--json", description = "Print the full report as JSON on stdout.")
    boolean json;

    @Option(
            names = "--repo",
            paramLabel = "PATH",
            description = "Local clone to take the commit from (default: the git repository here).")
    Path repo;

    @Option(
            names = "--sample",
            paramLabel = "N",
            description = "Audit: reproduce N runs drawn at random among FINISHED runs with a manifest.")
    Integer sample;

    @Option(
            names = "--experiment",
            paramLabel = "NAME",
            description = "With --sample: only this experiment. With --baseline: the experiment whose"
                    + " reprise.baseline tag names the run, when there is no .reprise/baseline.json.")
    String experiment;

    @Option(
            names = "--since",
            paramLabel = "AGE",
            description = "With --sample: only runs started within AGE (e.g. 90d, 12h, 2w).")
    String since;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description = "With --sample: the seed of the draw (default: random, printed).")
    Long seed;

    @Option(
            names = "--baseline",
            description = "Reproduce the baseline run (.reprise/baseline.json, else --experiment's tag).")
    boolean baseline;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream err = System.err;
        URI uri;
        Reproducer.Options options;
        Optional<Baseline> file = Optional.empty();
        try {
            int modes = (runId != null ? 1 : 0) + (sample != null ? 1 : 0) + (baseline ? 1 : 0);
            if (modes != 1) {
                throw new IllegalArgumentException("give one of RUN_ID, --sample N or --baseline");
            }
            if (baseline) {
                file = Baseline.read(repo != null ? repo : Path.of("").toAbsolutePath());
            }
            uri = Cli.trackingUri(
                    trackingUri != null
                                    || file.isEmpty()
                                    || file.get().trackingUri().isEmpty()
                            ? trackingUri
                            : System.getenv()
                                    .getOrDefault(
                                            "MLFLOW_TRACKING_URI", file.get().trackingUri()));
            options = options();
            if (sample != null && sample < 1) {
                throw new IllegalArgumentException("--sample must be at least 1");
            }
        } catch (IllegalArgumentException e) {
            return Cli.usage(err, "reproduce", e.getMessage());
        }
        Reproducer reproducer = new Reproducer(uri, System.getenv(), err);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> Cli.stopAndWait(reproducer::stop, done), "reprise-reproduce-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (sample != null) {
                return audit(reproducer, uri, options);
            }
            String id = runId;
            if (baseline) {
                id = baselineRun(file, uri);
                if (id == null) {
                    return Cli.usage(
                            err,
                            "reproduce",
                            "no baseline: no " + Baseline.FILE + " in this repository"
                                    + (experiment == null
                                            ? " and no --experiment"
                                            : " and experiment '" + experiment + "' has no reprise.baseline tag")
                                    + "; set one with 'reprise baseline set RUN_ID'");
                }
                err.println("reprise reproduce: baseline run " + id);
            }
            Outcome o = reproducer.reproduce(id, options);
            print(o);
            return exitCode(o);
        } catch (IllegalArgumentException e) {
            return Cli.usage(err, "reproduce", e.getMessage());
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

    private String baselineRun(Optional<Baseline> file, URI uri) {
        if (file.isPresent()) {
            return file.get().runId();
        }
        if (experiment == null) {
            return null;
        }
        return Baseline.ofExperiment(uri, System.getenv(), experiment).orElse(null);
    }

    /** --sample: reproduces a seeded random sample one after another; a summary closes. */
    private int audit(Reproducer reproducer, URI uri, Reproducer.Options options) throws InterruptedException {
        PrintStream err = System.err;
        Duration age = since == null ? null : Sampler.parseSince(since);
        long s = seed != null ? seed : new SecureRandom().nextInt(1_000_000);
        Sampler.Sample drawn = Sampler.draw(uri, System.getenv(), sample, experiment, age, s);
        err.println("reprise reproduce: sampled " + drawn.runIds().size() + " of " + drawn.candidates()
                + " FINISHED runs with a manifest (seed " + s
                + (seed == null ? "; --seed " + s + " draws them again" : "")
                + ")");
        List<Map<String, Object>> results = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) {
            counts.put(v.name(), 0);
        }
        int worst = ExitCodes.OK;
        int i = 0;
        for (String id : drawn.runIds()) {
            i++;
            err.println("reprise reproduce: [" + i + "/" + drawn.runIds().size() + "] run " + id);
            Outcome o;
            try {
                o = reproducer.reproduce(id, options);
            } catch (Reproducer.Unavailable e) {
                if (e.unreachable()) {
                    throw e;
                }
                err.println("reprise reproduce: " + e.getMessage());
                continue;
            }
            results.add(o.json());
            counts.merge(o.verdict().name(), 1, Integer::sum);
            rows.add(new String[] {id, o.experimentId(), o.verdict().name(), o.reason()});
            worst = Math.max(worst, exitCode(o));
        }
        PrintStream out = System.out;
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("seed", s);
            j.put("candidates", drawn.candidates());
            j.put("sampled", drawn.runIds());
            j.put("counts", counts);
            j.put("results", results);
            out.println(Cli.json(j));
        } else {
            out.println(String.format("%-32s  %-10s  %-10s  %s", "run", "experiment", "verdict", "reason"));
            for (String[] r : rows) {
                out.println(
                        String.format("%-32s  %-10s  %-10s  %s", (Object[]) r).stripTrailing());
            }
            out.println(rows.size() + " reproduced: " + counts.get("REPRODUCED") + " REPRODUCED, "
                    + counts.get("DIVERGED")
                    + " DIVERGED, " + counts.get("FAILED") + " FAILED (of " + drawn.candidates() + " candidates, seed "
                    + s + ")");
        }
        out.flush();
        return worst;
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
        return new Reproducer.Options(per, new Tolerance(rtol, atol), keep, repo, !noEnvRebuild);
    }
}
