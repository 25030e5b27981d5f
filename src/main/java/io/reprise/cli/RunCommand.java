package io.reprise.cli;

import io.reprise.capture.CaptureException;
import io.reprise.capture.RunSession;
import io.reprise.capture.RunSpec;
import java.io.PrintStream;
import java.nio.file.Files;
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
            "Runs a command, or an MLproject entry point, and records what it depends on as an MLflow run:",
            "git commit and diff, dependency files, Python packages, machine, seeds, config files and DVC",
            "data versions. The command sees MLFLOW_RUN_ID, so mlflow.start_run() inside it logs to the same",
            "run. Exits with the command's exit code.",
            "",
            "  reprise run --experiment demo python train.py --lr 0.1",
            "  reprise run -e train -P alpha=0.5 path/to/project     (an MLproject, as 'mlflow run' runs it)",
            "",
            "Options go before the command; everything from the command on is passed to it ('--' is optional).",
            "Without a command, or with -e/-P, or given one directory, it runs that directory's MLproject",
            "(default: the current directory)."
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
            description = "If the server cannot be reached, run anyway: record the run in .reprise/spool/"
                    + " (the command logs to a private local server) and upload it later with 'reprise sync'.")
    boolean offline;

    @Option(
            names = {"-e", "--entry-point"},
            paramLabel = "NAME",
            description = "MLproject entry point, or a .py/.sh script in the project (default: main).")
    String entryPoint;

    @Option(
            names = {"-P", "--param-list"},
            paramLabel = "NAME=VALUE",
            description = "MLproject parameter; repeatable. Undeclared ones are passed as --NAME VALUE.")
    List<String> params = new ArrayList<>();

    @Option(
            names = "--env-manager",
            paramLabel = "MANAGER",
            description = "For an MLproject: virtualenv (default for python_env: build and cache it) or local"
                    + " (run in the current environment; needed for conda_env and docker_env).")
    String envManager;

    @Parameters(
            arity = "0..*",
            paramLabel = "CMD | PROJECT_DIR",
            description = "The command and its arguments, or an MLproject directory.")
    List<String> command = new ArrayList<>();

    /** Everything from the command on is the command's: {@code reprise run python -c ...} needs no {@code --}. */
    @Spec
    void stopAtCommand(CommandSpec spec) {
        spec.parser().stopAtPositional(true);
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintStream err = System.err;
        try {
            RunSpec spec = projectMode()
                    ? RunSpec.ofProject(
                            Path.of(command.isEmpty() ? "" : command.get(0)),
                            Path.of(""),
                            entryPoint == null ? "main" : entryPoint,
                            params,
                            envManager,
                            System.getenv(),
                            trackingUri,
                            experiment,
                            runName,
                            seed,
                            configs)
                    : RunSpec.of(
                            command, Path.of(""), System.getenv(), trackingUri, experiment, runName, seed, configs);
            // The server classes load only if the run goes offline: a method reference defers it.
            RunSession session = new RunSession(spec, System.out, err, offline ? LocalSpoolServer::start : null);
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
                case ENVIRONMENT -> ExitCodes.ENVIRONMENT;
                case NOT_STARTED -> NOT_STARTED;
                case STOPPED -> STOPPED;
            };
        }
    }

    /**
     * An MLproject run: no command, or -e/-P, or a lone directory (which no shell could run). With
     * -e/-P the only word allowed is the project directory.
     */
    private boolean projectMode() {
        boolean projectOptions = entryPoint != null || !params.isEmpty() || envManager != null;
        boolean loneDirectory = command.size() == 1 && Files.isDirectory(Path.of(command.get(0)));
        if (projectOptions && command.size() > 1) {
            throw new CaptureException(
                    CaptureException.Kind.USAGE,
                    "-e, -P and --env-manager run an MLproject; give at most one PROJECT_DIR, not a command",
                    "reprise run [-e ENTRY] [-P NAME=VALUE]... [PROJECT_DIR], or reprise run -- CMD");
        }
        return command.isEmpty() || projectOptions || loneDirectory;
    }

    private static void stopQuietly(RunSession session) {
        try {
            session.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
