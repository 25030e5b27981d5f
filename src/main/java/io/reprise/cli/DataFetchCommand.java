package io.reprise.cli;

import io.reprise.data.DataRepo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        description = "Downloads the objects of tracked outputs from a remote into the cache, verifying their hashes.")
final class DataFetchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), jobs)) {
                DataRepo.TransferResult r = repo.fetch(targets, remote);
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
