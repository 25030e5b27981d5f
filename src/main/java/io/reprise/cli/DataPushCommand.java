package io.reprise.cli;

import io.reprise.data.DataRepo;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "push",
        mixinStandardHelpOptions = true,
        description =
                "Uploads the cached objects of tracked outputs to a remote (files before their folder manifests).")
final class DataPushCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TransferOptions transfer = new TransferOptions();

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), transfer.jobs)) {
                DataRepo.TransferResult r = repo.push(transfer.targets, transfer.remote);
                spec.commandLine().getOut().println(DataCli.summary(Map.of("pushed", r.transferred())));
                if (!r.missing().isEmpty()) {
                    throw DataCli.incomplete(
                            "Push", r.missing(), "Their objects are not in the cache (add or fetch them first).");
                }
            }
            return ExitCodes.OK;
        });
    }
}
