package io.reprise.cli;

import io.reprise.data.DataRepo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "checkout",
        mixinStandardHelpOptions = true,
        description = {
            "Makes tracked outputs match their .dvc files, from the cache. Workspace changes that are",
            "not in the cache are kept unless --force."
        })
final class DataCheckoutCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    WorkspaceOptions workspace = new WorkspaceOptions();

    @Option(
            names = {"-f", "--force"},
            description = "Overwrite and delete workspace changes that are not in the cache.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), workspace.jobs)) {
                DataRepo.CheckoutResult r = repo.checkout(workspace.targets, force);
                DataCli.printChanges(spec.commandLine().getOut(), r.changes());
                DataCli.checkoutProblems(r, "Their objects are not in the cache; run 'reprise data pull' to get them.");
            }
            return ExitCodes.OK;
        });
    }
}
