package io.reprise.cli;

import io.reprise.data.DataRepo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        description = "Fetches the objects of tracked outputs from a remote, then checks them out.")
final class DataPullCommand implements Callable<Integer> {
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
            names = {"-f", "--force"},
            description = "Overwrite and delete workspace changes that are not in the cache.")
    boolean force;

    @Option(
            names = {"-j", "--jobs"},
            defaultValue = "0",
            description = "Parallelism (default: all cores; transfers use 4 threads per job).")
    int jobs;

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), jobs)) {
                DataRepo.CheckoutResult r = repo.pull(targets, remote, force);
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
