package io.reprise.cli;

import io.reprise.data.DataRepo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Makes the current folder a DVC repository: .dvc/config, .dvc/.gitignore and .dvcignore,",
            "staged in git as dvc init stages them."
        })
final class DataInitCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--no-scm", description = "Do not use git (sets core.no_scm; no .gitignore entries).")
    boolean noScm;

    @Option(names = "--subdir", description = "Allow a repository inside a subfolder of a git work tree.")
    boolean subdir;

    @Option(
            names = {"-f", "--force"},
            description = "Recreate .dvc if it exists (its cache and config are deleted).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            DataRepo.InitResult r = DataRepo.init(DataCli.cwd(spec), noScm, subdir, force);
            spec.commandLine().getOut().println("Initialized DVC repository.");
            if (r.git()) {
                spec.commandLine().getOut().println("You can now commit the changes to git.");
            }
            return ExitCodes.OK;
        });
    }
}
