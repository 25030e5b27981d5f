package io.reprise.cli;

import io.reprise.data.DataException;
import io.reprise.data.DataRepo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "gc",
        mixinStandardHelpOptions = true,
        description = {
            "Removes from the cache (with -c, from the remote too) every object that",
            "the workspace and the git revisions you name do not use, as dvc gc.",
            "A scope is required: -w keeps what the workspace uses; -a, -T, -A and",
            "--rev also keep what those commits use. Asks first unless -f."
        })
final class DataGcCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-w", "--workspace"},
            description = "Keep data used in the workspace (always kept; this alone is the smallest scope).")
    boolean workspace;

    @Option(
            names = {"-a", "--all-branches"},
            description = "Keep data used by the tip of every git branch.")
    boolean allBranches;

    @Option(
            names = {"-T", "--all-tags"},
            description = "Keep data used by every git tag.")
    boolean allTags;

    @Option(
            names = {"-A", "--all-commits"},
            description = "Keep data used by every git commit.")
    boolean allCommits;

    @Option(
            names = "--rev",
            paramLabel = "COMMIT",
            description = "Keep data used by COMMIT (with -n, its last NUM commits).")
    String rev;

    @Option(
            names = {"-n", "--num"},
            paramLabel = "NUM",
            description = "With --rev or -a: keep data of the last NUM commits from each (default 1).")
    Integer num;

    @Option(
            names = {"-c", "--cloud"},
            description = "Also remove unused objects from the remote.")
    boolean cloud;

    @Option(
            names = {"-r", "--remote"},
            paramLabel = "NAME",
            description = "Remote for -c or --not-in-remote (default: core.remote).")
    String remote;

    @Option(
            names = "--not-in-remote",
            description = "Keep only the used objects the remote lacks (remove the ones already pushed).")
    boolean notInRemote;

    @Option(
            names = {"-f", "--force"},
            description = "Do not ask for confirmation.")
    boolean force;

    @Option(names = "--dry", description = "Only print what would be removed.")
    boolean dry;

    @Option(
            names = {"-j", "--jobs"},
            defaultValue = "0",
            description = "Threads (default: all cores).")
    int jobs;

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            validate();
            PrintWriter err = spec.commandLine().getErr();
            err.println("WARNING: " + scopeMessage());
            err.flush();
            if (!force && !dry && !confirm(err)) {
                return 1;
            }
            try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), jobs)) {
                DataRepo.GcResult r = repo.gc(
                        new DataRepo.GcScope(allBranches, allTags, allCommits, rev, num == null ? 1 : num),
                        cloud,
                        remote,
                        notInRemote,
                        dry);
                r.warnings().forEach(w -> err.println("WARNING: " + w));
                err.flush();
                report(r);
            }
            return ExitCodes.OK;
        });
    }

    // dvc's rules (dvc/repo/gc.py _validate_args), so a command line means the same to both tools.
    private void validate() {
        if (remote != null && !(cloud || notInRemote)) {
            throw new DataException("`--remote` requires `--cloud` or `--not-in-remote`.");
        }
        if (notInRemote && cloud) {
            throw new DataException("`--not-in-remote` and `--cloud` are mutually exclusive.");
        }
        if (!(workspace || allBranches || allTags || allCommits || rev != null)) {
            throw new DataException("Either of `-w|--workspace`, `-a|--all-branches`, `-T|--all-tags`,"
                    + " `-A|--all-commits` or `--rev` needs to be set; -w keeps only what the workspace uses.");
        }
        if (num != null && !(rev != null || allBranches)) {
            throw new DataException("`--num` can only be used alongside `--rev` or `--all-branches`.");
        }
        if (num != null && num < 1) {
            throw new DataException("`--num` must be 1 or more.");
        }
    }

    private String scopeMessage() {
        StringBuilder msg = new StringBuilder("This will remove all cache except items used in the workspace");
        if (allCommits) {
            msg.append(" and all git commits");
        } else {
            if (allBranches) {
                msg.append(
                        num != null ? " and last " + num + " commits from all git branches" : " and all git branches");
            }
            if (allTags) {
                msg.append(" and all git tags");
            }
            if (rev != null) {
                msg.append(" and last ")
                        .append(num == null ? 1 : num)
                        .append(" commits from ")
                        .append(rev);
            }
        }
        if (notInRemote) {
            msg.append(" that are not present in the DVC remote");
        }
        return msg.append(" of the current repo.").toString();
    }

    private static boolean confirm(PrintWriter err) throws IOException {
        err.print("Are you sure you want to proceed? [y/n]: ");
        err.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
    }

    private void report(DataRepo.GcResult r) {
        PrintWriter out = spec.commandLine().getOut();
        if (dry) {
            for (List<String> paths : List.of(r.cache(), r.legacy(), r.remote())) {
                paths.forEach(p -> out.println("Removing " + p));
            }
        }
        line(out, r.cache().size(), "repo");
        line(out, r.legacy().size(), "legacy");
        if (cloud) {
            out.println(
                    r.remote().isEmpty()
                            ? "No unused cache to remove from remote."
                            : "Removed " + r.remote().size() + " objects from remote.");
        }
        out.flush();
    }

    private static void line(PrintWriter out, int n, String scheme) {
        out.println(
                n > 0
                        ? "Removed " + n + " objects from " + scheme + " cache."
                        : "No unused '" + scheme + "' cache to remove.");
    }
}
