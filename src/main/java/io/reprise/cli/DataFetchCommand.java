package io.reprise.cli;

import io.reprise.data.DataRepo;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        description = "Downloads the objects of tracked outputs from a remote into the cache, verifying their hashes.")
final class DataFetchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TransferOptions transfer = new TransferOptions();

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), transfer.jobs)) {
                DataRepo.TransferResult r = repo.fetch(transfer.targets, transfer.remote);
                spec.commandLine().getOut().println(DataCli.summary(Map.of("fetched", r.transferred())));
                if (!r.missing().isEmpty()) {
                    throw DataCli.incomplete(
                            "Fetch",
                            r.missing(),
                            "Their objects are not on the remote (push them from where they were added).");
                }
            }
            return ExitCodes.OK;
        });
    }
}
