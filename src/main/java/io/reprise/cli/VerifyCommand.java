package io.reprise.cli;

import io.reprise.reproduce.Reproducer;
import io.reprise.reproduce.Verifier;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a command N times, each in a clean checkout of the current commit (plus the uncommitted",
            "diff and untracked files) with the same seed (PYTHONHASHSEED and REPRISE_SEED), and compares",
            "the metrics each run logged and the files it wrote. Any difference means the result depends on",
            "more than code, data and seed: the CI 'run twice and diff' check.",
            "",
            "  reprise verify -- python train.py",
            "  reprise verify --times 3 --seed 42 --tracking-uri http://127.0.0.1:5000 -- python train.py",
            "",
            "Exit codes: 0 identical, 1 different (the differences are listed), 4 a run failed,",
            "2 bad usage, 3 tracking server unreachable, 130 interrupted."
        })
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--times", paramLabel = "N", description = "How many runs (default: 2, at least 2).")
    int times = 2;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description = "The seed every run gets (default: one picked at random and printed).")
    Long seed;

    @Option(
            names = "--tracking-uri",
            paramLabel = "URL",
            description = "Record the runs on this server (default: a private server, discarded afterwards).")
    String trackingUri;

    @Option(names = "--experiment", paramLabel = "NAME", description = "Experiment for the runs (default: Default).")
    String experiment;

    @Option(names = "--keep", description = "Keep the checkouts (their paths are printed).")
    boolean keep;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
    List<String> command = new ArrayList<>();

    @Spec
    void stopAtCommand(CommandSpec spec) {
        spec.parser().stopAtPositional(true);
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintStream err = System.err;
        URI uri = null;
        try {
            if (trackingUri != null) {
                uri = Cli.trackingUri(trackingUri);
            }
            if (times < 2) {
                throw new IllegalArgumentException(
                        "--times must be at least 2: there is nothing to compare one run with");
            }
        } catch (IllegalArgumentException e) {
            return Cli.usage(err, "verify", e.getMessage());
        }
        long s = seed != null ? seed : new SecureRandom().nextInt(1_000_000);
        if (seed == null) {
            err.println("reprise verify: seed " + s + " (picked at random; --seed " + s + " repeats it)");
        }
        Verifier verifier = new Verifier(System.getenv(), err, LocalSpoolServer::start);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> Cli.stopAndWait(verifier::stop, done), "reprise-verify-stop"));
        try {
            Verifier.Result r = verifier.verify(
                    Path.of("").toAbsolutePath(), new Verifier.Options(command, times, s, uri, experiment, keep));
            PrintStream out = System.out;
            if (json) {
                out.println(Cli.json(r.json()));
            } else {
                r.lines().forEach(out::println);
            }
            out.flush();
            if (r.failure() != null) {
                return r.failure().contains("cannot reach") ? ExitCodes.UNAVAILABLE : ExitCodes.REPRODUCTION_FAILED;
            }
            return r.identical() ? ExitCodes.OK : ExitCodes.DIVERGED;
        } catch (Reproducer.Stopped e) {
            err.println("reprise verify: stopped");
            return ExitCodes.INTERRUPTED;
        } finally {
            done.countDown();
        }
    }
}
