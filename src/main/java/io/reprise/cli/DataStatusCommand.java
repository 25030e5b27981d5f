package io.reprise.cli;

import io.reprise.data.DataRepo;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Shows tracked outputs that differ from their .dvc files (modified, deleted, not in cache),",
            "or with -c, objects the cache and the remote do not share."
        })
final class DataStatusCommand implements Callable<Integer> {
    private static final int STATUS_LEN = 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TransferOptions transfer = new TransferOptions();

    @Option(
            names = {"-c", "--cloud"},
            description =
                    "Compare the cache with the remote (-r, or core.remote) instead of the workspace with the cache.")
    boolean cloud;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print nothing; exit 1 when there are changes.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), transfer.jobs)) {
                return cloud || transfer.remote != null ? cloud(repo) : workspace(repo);
            }
        });
    }

    private int workspace(DataRepo repo) {
        Map<String, Map<String, String>> st = repo.status(transfer.targets);
        PrintWriter out = spec.commandLine().getOut();
        if (quiet) {
            return st.isEmpty() ? ExitCodes.OK : 1;
        }
        if (st.isEmpty()) {
            out.println(
                    repo.tracksAnything()
                            ? "Data and pipelines are up to date."
                            : "There are no data or pipelines tracked in this project yet.");
            return ExitCodes.OK;
        }
        st.forEach((file, changes) -> {
            out.println(file + ":");
            out.println("\tchanged outs:");
            changes.forEach((path, change) -> out.println("\t\t" + pad(change) + path));
        });
        return ExitCodes.OK;
    }

    private int cloud(DataRepo repo) {
        Map<String, String> st = repo.cloudStatus(transfer.targets, transfer.remote);
        if (quiet) {
            return st.isEmpty() ? ExitCodes.OK : 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (st.isEmpty()) {
            out.println("Cache and remote '" + repo.remoteName(transfer.remote) + "' are in sync.");
        }
        st.forEach((path, state) -> out.println("\t" + pad(state) + path));
        return ExitCodes.OK;
    }

    // dvc status pads "modified:" to 20 columns.
    private static String pad(String state) {
        String s = state + ":";
        return s + " ".repeat(Math.max(1, STATUS_LEN - s.length()));
    }
}
