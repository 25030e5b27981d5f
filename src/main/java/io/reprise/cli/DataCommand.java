package io.reprise.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = {
            "Data versioning that works in place on DVC 3.x repositories: the same .dvc files, cache,",
            "remotes and .gitignore entries, so reprise and dvc can be used side by side."
        })
final class DataCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "-C",
            paramLabel = "DIR",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Run as if started in DIR (as git -C).")
    java.nio.file.Path dir;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
