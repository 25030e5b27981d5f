package io.reprise.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code reprise} command line. */
@Command(
        name = "reprise",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Reproducibility for ML teams: an MLflow-compatible tracking server and tools.",
        subcommands = {
            ServerCommand.class,
            RunCommand.class,
            SyncCommand.class,
            DataCommand.class,
            CheckCommand.class,
            ReproduceCommand.class,
            VerifyCommand.class,
            BaselineCommand.class,
            AuditCommand.class,
            InitCommand.class,
            AotTrainCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLineFor(args).execute(args));
    }

    /**
     * The command line for these arguments. {@code reprise server} gets one holding only the server
     * command, as that command's usage and errors name it ("reprise server"): picocli reads every
     * subcommand's annotations when it builds the whole tree, a fifth of the server's start-up.
     */
    static CommandLine commandLineFor(String[] args) {
        if (args.length == 0 || !args[0].equals("server")) {
            return commandLine();
        }
        CommandLine root =
                new CommandLine(CommandLine.Model.CommandSpec.create().name("reprise"));
        root.addSubcommand("server", new CommandLine(new ServerCommand()));
        return root.setExecutionExceptionHandler(new OneLineErrors());
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(new OneLineErrors());
    }
}
