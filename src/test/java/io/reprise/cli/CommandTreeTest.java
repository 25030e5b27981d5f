package io.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** A command line built for its arguments behaves exactly as the whole tree does. */
class CommandTreeTest {
    private record Result(int exitCode, String out, String err) {}

    private static Result execute(CommandLine line, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                line.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Stream<String> everyCommandPath() {
        List<String> paths = new ArrayList<>();
        collect(Main.commandLine(), "", paths);
        return paths.stream();
    }

    private static void collect(CommandLine line, String path, List<String> paths) {
        line.getSubcommands().forEach((name, sub) -> {
            String subPath = (path + " " + name).strip();
            paths.add(subPath);
            collect(sub, subPath, paths);
        });
    }

    @ParameterizedTest
    @MethodSource("everyCommandPath")
    void everyCommandsHelpIsTheSameAsInTheWholeTree(String path) {
        String[] args = (path + " --help").split(" ");
        Result whole = execute(Main.commandLine(), args);
        Result part = execute(Main.commandLineFor(args), args);
        assertThat(part).isEqualTo(whole);
        if (path.equals("help") || path.equals("aot-train")) {
            return; // help's help is "help help"; the internal aot-train has no options
        }
        assertThat(part.exitCode()).isZero();
        assertThat(part.out()).startsWith("Usage: reprise " + path);
    }

    @ParameterizedTest
    @MethodSource("everyCommandPath")
    void everyCommandIsRegisteredUnderItsOwnName(String path) {
        CommandLine line = Main.commandLine();
        for (String name : path.split(" ")) {
            line = line.getSubcommands().get(name);
        }
        CommandLine.Command annotation =
                line.getCommandSpec().userObject().getClass().getAnnotation(CommandLine.Command.class);
        String last = path.substring(path.lastIndexOf(' ') + 1);
        assertThat(annotation.name()).isEqualTo(last);
        assertThat(annotation.subcommands())
                .as("subcommands are wired in CommandTree")
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "--help",
                "--version",
                "help",
                "help data",
                "help data status",
                "statsu",
                "data",
                "data statsu",
                "data -C add status --bogus",
                "run --bogus",
                "check",
                "baseline set"
            })
    void argumentsOutsideAPartGetTheWholeTreesAnswer(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertThat(execute(Main.commandLineFor(args), args)).isEqualTo(execute(Main.commandLine(), args));
    }

    @Test
    void aCommandLineHoldsOnlyTheCommandsItsArgumentsName() {
        CommandLine line = Main.commandLineFor(new String[] {"data", "-C", "somewhere", "status"});
        assertThat(line.getSubcommands()).containsOnlyKeys("data");
        assertThat(line.getSubcommands().get("data").getSubcommands()).containsOnlyKeys("status");
    }
}
