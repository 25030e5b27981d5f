package io.reprise.cli;

import io.reprise.data.DataRepo;
import io.reprise.data.PythonJsonText;
import java.io.PrintWriter;
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
        name = "diff",
        mixinStandardHelpOptions = true,
        description = {
            "Shows tracked data added, deleted, modified or renamed between two git",
            "commits, or a commit (default HEAD) and the workspace, as dvc diff;",
            "folders are compared file by file. Against the workspace it also lists",
            "the commit's data missing from the cache."
        })
final class DataDiffCommand implements Callable<Integer> {
    private static final List<String> TEXT_ORDER = List.of("added", "deleted", "renamed", "modified", "not in cache");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "A_REV", description = "Old commit (default: HEAD).")
    String aRev;

    @Parameters(index = "1", arity = "0..1", paramLabel = "B_REV", description = "New commit (default: the workspace).")
    String bRev;

    @Option(
            names = "--targets",
            arity = "1..*",
            paramLabel = "PATH",
            description = "Only these tracked paths (outputs, folders in them, or .dvc files).")
    List<String> targets = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON with dvc diff's keys.")
    boolean json;

    @Option(names = "--show-hash", description = "Show each entry's hash (the first 8 characters in text).")
    boolean showHash;

    @Option(names = "--hide-missing", description = "Leave out data missing from the cache.")
    boolean hideMissing;

    @Option(
            names = {"-j", "--jobs"},
            defaultValue = "0",
            description = "Threads hashing workspace files (default: all cores).")
    int jobs;

    @Override
    public Integer call() throws Exception {
        return DataCli.run(spec, () -> {
            try (DataRepo repo = DataRepo.open(DataCli.cwd(spec), jobs)) {
                Map<String, List<DataRepo.DiffEntry>> diff = new LinkedHashMap<>(repo.diff(aRev, bRev, targets));
                if (bRev != null || hideMissing) {
                    diff.remove("not in cache");
                }
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(toJson(diff));
                } else {
                    printText(out, diff);
                }
                out.flush();
            }
            return ExitCodes.OK;
        });
    }

    // As dvc's json.dumps: ", " and ": " separators, non-ASCII escaped.
    private String toJson(Map<String, List<DataRepo.DiffEntry>> diff) {
        StringBuilder sb = new StringBuilder("{");
        diff.forEach((kind, entries) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(str(kind)).append(": [");
            for (int i = 0; i < entries.size(); i++) {
                DataRepo.DiffEntry e = entries.get(i);
                sb.append(i > 0 ? ", " : "").append("{\"path\": ");
                sb.append(e.newPath() == null ? str(e.path()) : pair(e.path(), e.newPath()));
                if (showHash) {
                    sb.append(", \"hash\": ").append(e.newHash() == null ? str(e.hash()) : pair(e.hash(), e.newHash()));
                }
                sb.append('}');
            }
            sb.append(']');
        });
        return sb.append('}').toString();
    }

    private static String pair(String old, String now) {
        return "{\"old\": " + str(old) + ", \"new\": " + str(now) + "}";
    }

    private static String str(String s) {
        return s == null ? "null" : PythonJsonText.quote(s);
    }

    // dvc's CmdDiff._show_diff: a block per kind, then "files summary" counting files (not folders).
    private void printText(PrintWriter out, Map<String, List<DataRepo.DiffEntry>> diff) {
        if (diff.isEmpty()) {
            return;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String kind : TEXT_ORDER) {
            List<DataRepo.DiffEntry> entries = diff.get(kind);
            if (entries == null) {
                continue;
            }
            counts.put(kind, 0);
            if (entries.isEmpty()) {
                continue;
            }
            out.println(Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + ":");
            for (DataRepo.DiffEntry e : entries) {
                String path = e.newPath() == null ? e.path() : e.path() + " -> " + e.newPath();
                String hash = "";
                if (showHash && e.hash() != null) {
                    hash = (e.newHash() == null ? digest(e.hash()) : digest(e.hash()) + ".." + digest(e.newHash()))
                            + "  ";
                }
                out.println("    " + hash + path);
                if (!path.endsWith("/")) {
                    counts.merge(kind, 1, Integer::sum);
                }
            }
            out.println();
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((kind, n) -> {
            if (n > 0) {
                parts.add(n + " " + kind);
            }
        });
        if (!parts.isEmpty()) {
            out.println("files summary: " + String.join(", ", parts));
        }
    }

    private static String digest(String hash) {
        return hash.substring(0, Math.min(8, hash.length()));
    }
}
