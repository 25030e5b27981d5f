package io.reprise.cli;

import io.reprise.data.DataRepo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "commit",
        mixinStandardHelpOptions = true,
        description = "Records the current contents of tracked outputs in their .dvc files and the cache.")
final class DataCommitCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(
            arity = "0..*",
            paramLabel = "TARGET",
            description = ".dvc files, tracked paths or folders (default: everything tracked).")
    List<String> targets = new ArrayList<>();

    @Option(
            names = {"-j", "--jobs"},
            defaultValue = "0",
            description = "Threads hashing files (default: all cores).")
    int jobs;

    // dvc commit asks before committing changed outputs unless forced; scripts written for dvc pass -f.
    @Option(
            names = {"-f", "--force"},
            description = "Accepted as dvc's: reprise commits without asking.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), jobs)) {
                List<String> toStage = repo.commit(targets);
                if (!toStage.isEmpty()) {
                    spec.commandLine().getOut().println("To track the changes with git, run:");
                    spec.commandLine().getOut().println();
                    spec.commandLine().getOut().println("\tgit add " + String.join(" ", toStage));
                }
            }
            return ExitCodes.OK;
        });
    }
}
