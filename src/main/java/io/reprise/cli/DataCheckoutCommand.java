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
        name = "checkout",
        mixinStandardHelpOptions = true,
        description = {
            "Makes tracked outputs match their .dvc files, from the cache. Workspace changes that are",
            "not in the cache are kept unless --force."
        })
final class DataCheckoutCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(
            arity = "0..*",
            paramLabel = "TARGET",
            description = ".dvc files, tracked paths or folders (default: everything tracked).")
    List<String> targets = new ArrayList<>();

    @Option(
            names = {"-f", "--force"},
            description = "Overwrite and delete workspace changes that are not in the cache.")
    boolean force;

    @Option(
            names = {"-j", "--jobs"},
            defaultValue = "0",
            description = "Threads hashing files (default: all cores).")
    int jobs;

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), jobs)) {
                DataRepo.CheckoutResult r = repo.checkout(targets, force);
                DataCli.printChanges(spec.commandLine().getOut(), r.changes());
                DataCli.checkoutProblems(r, "Their objects are not in the cache; run 'reprise data pull' to get them.");
            }
            return ExitCodes.OK;
        });
    }
}
