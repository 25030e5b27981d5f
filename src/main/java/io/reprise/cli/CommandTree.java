package io.reprise.cli;

import java.util.List;
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
    private record Node(String name, Class<?> type, List<Node> children) {}

    private static final Node ROOT = node(
            "reprise",
            Main.class,
            node("server", ServerCommand.class),
            node("run", RunCommand.class),
            node("sync", SyncCommand.class),
            node(
                    "data",
                    DataCommand.class,
                    node("init", DataInitCommand.class),
                    node("add", DataAddCommand.class),
                    node("status", DataStatusCommand.class),
                    node("checkout", DataCheckoutCommand.class),
                    node("commit", DataCommitCommand.class),
                    node("push", DataPushCommand.class),
                    node("pull", DataPullCommand.class),
                    node("fetch", DataFetchCommand.class),
                    node(
                            "remote",
                            DataRemoteCommand.class,
                            node("add", DataRemoteCommand.Add.class),
                            node("modify", DataRemoteCommand.Modify.class),
                            node("list", DataRemoteCommand.ListRemotes.class),
                            node("default", DataRemoteCommand.Default.class),
                            node("remove", DataRemoteCommand.Remove.class)),
                    node("gc", DataGcCommand.class),
                    node("diff", DataDiffCommand.class)),
            node(
                    "check",
                    CheckCommand.class,
                    node("run", CheckRunCommand.class),
                    node("experiment", CheckExperimentCommand.class),
                    node("pr", CheckPrCommand.class)),
            node("reproduce", ReproduceCommand.class),
            node("verify", VerifyCommand.class),
            node(
                    "baseline",
                    BaselineCommand.class,
                    node("set", BaselineCommand.Set.class),
                    node("show", BaselineCommand.Show.class)),
            node("audit", AuditCommand.class),
            node("init", InitCommand.class),
            node("aot-train", AotTrainCommand.class),
            node("help", CommandLine.HelpCommand.class));

    private CommandTree() {}

    private static Node node(String name, Class<?> type, Node... children) {
        return new Node(name, type, List.of(children));
    }

    /** The whole tree. */
    static CommandLine whole() {
        return build(ROOT, null, 0);
    }

    /** The part of the tree that these arguments name, or the whole tree when that part rejects them. */
    static CommandLine forArgs(String[] args) {
        if (List.of(args).equals(List.of("--version")) || List.of(args).equals(List.of("-V"))) {
            return new CommandLine(ROOT.type());
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
        CommandLine line = new CommandLine(node.type());
        Match chosen = args == null ? null : match(node, args, from);
        if (chosen != null) {
            line.addSubcommand(chosen.node().name(), build(chosen.node(), args, chosen.index() + 1));
        } else {
            node.children().forEach(child -> line.addSubcommand(child.name(), build(child, null, 0)));
        }
        return line;
    }
}
