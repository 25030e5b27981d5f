package io.reprise.cli;

import io.reprise.capture.CaptureException;
import io.reprise.capture.RunSession;
import io.reprise.capture.RunSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a command and records what it depends on as an MLflow run: git commit and diff,",
            "dependency files, Python packages, machine, seeds, config files and DVC data versions.",
            "The command sees MLFLOW_RUN_ID, so mlflow.start_run() inside it logs to the same run.",
            "Exits with the command's exit code.",
            "",
            "  reprise run --experiment demo python train.py --lr 0.1",
            "",
            "Options go before the command; everything from the command on is passed to it ('--' is optional)."
        })
final class RunCommand implements Callable<Integer> {
    /** The command could not be found or executed, as in a shell. */
    private static final int NOT_STARTED = 127;
    /** Stopped by Ctrl-C before the command started, as a shell reports SIGINT. */
    private static final int STOPPED = 130;

    @Option(
            names = "--tracking-uri",
            paramLabel = "URL",
            description = "Tracking server (default: $MLFLOW_TRACKING_URI), e.g. http://127.0.0.1:5000.")
    String trackingUri;

    @Option(
            names = "--experiment",
            paramLabel = "NAME",
            description = "Experiment, created if missing (default: $MLFLOW_EXPERIMENT_NAME, else Default).")
    String experiment;

    @Option(names = "--run-name", paramLabel = "NAME", description = "Run name (default: one picked by the server).")
    String runName;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Exports PYTHONHASHSEED=N and REPRISE_SEED=N to the command and logs param 'seed'.")
    Long seed;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Config file to log as an artifact with its sha256, and as param 'config'. Repeatable.")
    List<Path> configs = new ArrayList<>();

    @Option(
            names = "--offline",
            description = "Spool the run locally and sync it later. Not available yet: runs are always logged live.")
    boolean offline;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
    List<String> command;

    /** Everything from the command on is the command's: {@code reprise run python -c ...} needs no {@code --}. */
    @Spec
    void stopAtCommand(CommandSpec spec) {
        spec.parser().stopAtPositional(true);
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintStream err = System.err;
        if (offline) {
            err.println("reprise run: --offline is not available yet (hint: start a server with 'reprise server'"
                    + " and drop --offline)");
            return ExitCodes.USAGE;
        }
        try {
            RunSpec spec =
                    RunSpec.of(command, Path.of(""), System.getenv(), trackingUri, experiment, runName, seed, configs);
            RunSession session = new RunSession(spec, System.out, err);
            // SIGTERM and Ctrl-C start the JVM's shutdown: the hook forwards them to the command and
            // waits for the run to be recorded KILLED; the JVM then exits 128 + signal, as a shell
            // reports it. Registered before anything starts, so no signal can leave a run RUNNING.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(session), "reprise-run-stop"));
            return session.execute();
        } catch (CaptureException e) {
            err.println("reprise run: " + e.getMessage() + (e.hint().isEmpty() ? "" : " (hint: " + e.hint() + ")"));
            return switch (e.kind()) {
                case USAGE -> ExitCodes.USAGE;
                case UNAVAILABLE -> ExitCodes.UNAVAILABLE;
                case NOT_STARTED -> NOT_STARTED;
                case STOPPED -> STOPPED;
            };
        }
    }

    private static void stopQuietly(RunSession session) {
        try {
            session.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
