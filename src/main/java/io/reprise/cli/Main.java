package io.reprise.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code reprise} command line. */
@Command(
        name = "reprise",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Reproducibility for ML teams: an MLflow-compatible tracking server and tools.")
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("run")) { // its git state is read while picocli parses

            io.reprise.capture.EarlyStart.begin();
        }
        System.exit(commandLineFor(args).execute(args));
    }

    /** The configured command line holding the commands these arguments name (see CommandTree). */
    static CommandLine commandLineFor(String[] args) {
        return CommandTree.forArgs(args).setExecutionExceptionHandler(new OneLineErrors());
    }

    /** The configured command line with every command, also used by tests. */
    public static CommandLine commandLine() {
        return CommandTree.whole().setExecutionExceptionHandler(new OneLineErrors());
    }
}
