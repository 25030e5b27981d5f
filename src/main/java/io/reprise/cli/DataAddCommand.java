package io.reprise.cli;

import io.reprise.data.DataRepo;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "add",
        mixinStandardHelpOptions = true,
        description = {
            "Tracks files or folders: stores them in the cache (.dvc/cache), writes <name>.dvc beside",
            "each and adds it to the .gitignore next to it. Unchanged files are not hashed again."
        })
final class DataAddCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TARGET", description = "Files or folders to track.")
    List<String> targets;

    @Option(
            names = {"-j", "--jobs"},
            defaultValue = "0",
            description = "Threads hashing files (default: all cores).")
    int jobs;

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), jobs)) {
                List<String> toStage = repo.add(targets);
                if (!toStage.isEmpty()) {
                    PrintWriter out = spec.commandLine().getOut();
                    out.println();
                    out.println("To track the changes with git, run:");
                    out.println();
                    out.println("\tgit add " + String.join(" ", toStage));
                }
            }
            return ExitCodes.OK;
        });
    }
}
