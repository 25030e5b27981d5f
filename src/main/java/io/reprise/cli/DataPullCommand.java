package io.reprise.cli;

import io.reprise.data.DataRepo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        description = "Fetches the objects of tracked outputs from a remote, then checks them out.")
final class DataPullCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TransferOptions transfer = new TransferOptions();

    @Option(
            names = {"-f", "--force"},
            description = "Overwrite and delete workspace changes that are not in the cache.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), transfer.jobs)) {
                DataRepo.CheckoutResult r = repo.pull(transfer.targets, transfer.remote, force);
                DataCli.printChanges(spec.commandLine().getOut(), r.changes());
                Map<String, Integer> counts = new LinkedHashMap<>();
                counts.put("fetched", r.fetched());
                counts.put("added", (int)
                        r.changes().values().stream().filter("A"::equals).count());
                counts.put("modified", (int)
                        r.changes().values().stream().filter("M"::equals).count());
                spec.commandLine().getOut().println(DataCli.summary(counts));
                DataCli.checkoutProblems(r, "Their objects are neither in the cache nor on the remote.");
            }
            return ExitCodes.OK;
        });
    }
}
