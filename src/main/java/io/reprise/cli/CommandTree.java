package io.reprise.cli;

import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Every command of {@code reprise}, in the order usage lists them: the one place they are wired.
 *
 * <p>picocli reads every command's annotations when it builds a tree, most of a short command's
 * start-up. So a command line holds only the commands its arguments name: {@code reprise data
 * status} builds the root, {@code data} and {@code status}, nothing else. When the arguments name
 * no command, or do not parse against that part of the tree, the whole tree is built, so that
 * usage, {@code help} and "did you mean" suggestions see every command.
 */
final class CommandTree {
    private record Node(String name, Supplier<Object> factory, List<Node> children) {}

    private static final Node ROOT = node(
            "reprise",
            Main::new,
            node("server", ServerCommand::new),
            node("run", RunCommand::new),
            node("sync", SyncCommand::new),
            node(
                    "data",
                    DataCommand::new,
                    node("init", DataInitCommand::new),
                    node("add", DataAddCommand::new),
                    node("status", DataStatusCommand::new),
                    node("checkout", DataCheckoutCommand::new),
                    node("commit", DataCommitCommand::new),
                    node("push", DataPushCommand::new),
                    node("pull", DataPullCommand::new),
                    node("fetch", DataFetchCommand::new),
                    node(
                            "remote",
                            DataRemoteCommand::new,
                            node("add", DataRemoteCommand.Add::new),
                            node("modify", DataRemoteCommand.Modify::new),
                            node("list", DataRemoteCommand.ListRemotes::new),
                            node("default", DataRemoteCommand.Default::new),
                            node("remove", DataRemoteCommand.Remove::new)),
                    node("gc", DataGcCommand::new),
                    node("diff", DataDiffCommand::new)),
            node(
                    "check",
                    CheckCommand::new,
                    node("run", CheckRunCommand::new),
                    node("experiment", CheckExperimentCommand::new),
                    node("pr", CheckPrCommand::new)),
            node("reproduce", ReproduceCommand::new),
            node("verify", VerifyCommand::new),
            node(
                    "baseline",
                    BaselineCommand::new,
                    node("set", BaselineCommand.Set::new),
                    node("show", BaselineCommand.Show::new)),
            node("audit", AuditCommand::new),
            node("init", InitCommand::new),
            node("aot-train", AotTrainCommand::new),
            node("help", CommandLine.HelpCommand::new));

    private CommandTree() {}

    private static Node node(String name, Supplier<Object> factory, Node... children) {
        return new Node(name, factory, List.of(children));
    }

    /** The whole tree. */
    static CommandLine whole() {
        return build(ROOT, null, 0);
    }

    /** The part of the tree that these arguments name, or the whole tree when that part rejects them. */
    static CommandLine forArgs(String[] args) {
        if (List.of(args).equals(List.of("--version")) || List.of(args).equals(List.of("-V"))) {
            return new CommandLine(ROOT.factory().get());
        }
        Match first = match(ROOT, args, 0);
        if (first == null || first.node().name().equals("help")) {
            return whole();
        }
        CommandLine part = build(ROOT, args, 0);
        try {
            part.parseArgs(args);
            return part;
        } catch (CommandLine.ParameterException e) {
            return whole();
        }
    }

    private record Match(Node node, int index) {}

    /** The child of {@code node} that the first argument from {@code from} naming one chooses. */
    private static Match match(Node node, String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            for (Node child : node.children()) {
                if (child.name().equals(args[i])) {
                    return new Match(child, i);
                }
            }
        }
        return null;
    }

    /** {@code node} with the child the arguments choose, or every child ({@code args == null}: all). */
    private static CommandLine build(Node node, String[] args, int from) {
        CommandLine line = new CommandLine(node.factory().get());
        Match chosen = args == null ? null : match(node, args, from);
        if (chosen != null) {
            line.addSubcommand(chosen.node().name(), build(chosen.node(), args, chosen.index() + 1));
        } else {
            node.children().forEach(child -> line.addSubcommand(child.name(), build(child, null, 0)));
        }
        return line;
    }
}
