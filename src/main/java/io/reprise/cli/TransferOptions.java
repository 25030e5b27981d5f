package io.reprise.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The targets, remote and parallelism that push, fetch and pull share, as dvc's do. */
final class TransferOptions {
    @Parameters(
            arity = "0..*",
            paramLabel = "TARGET",
            description = ".dvc files, tracked paths or folders (default: everything tracked).")
    List<String> targets = new ArrayList<>();

    @Option(
            names = {"-r", "--remote"},
            description = "Remote to use (default: core.remote).")
    String remote;

    @Option(
            names = {"-j", "--jobs"},
            defaultValue = "0",
            description = "Parallelism (default: all cores; transfers use 4 threads per job).")
    int jobs;
}
