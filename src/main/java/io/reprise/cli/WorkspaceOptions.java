package io.reprise.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The targets and parallelism every data command working on tracked outputs shares, as dvc's do. */
class WorkspaceOptions {
    @Parameters(
            arity = "0..*",
            paramLabel = "TARGET",
            description = ".dvc files, tracked paths or folders (default: everything tracked).")
    List<String> targets = new ArrayList<>();

    @Option(
            names = {"-j", "--jobs"},
            defaultValue = "0",
            description = "Parallelism (default: all cores; transfers use 4 threads per job).")
    int jobs;
}
