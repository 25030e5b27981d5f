package io.reprise.audit;

import static io.reprise.audit.Category.DATA;

import io.reprise.data.DataRepo;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Data versioned by DVC / reprise data with a remote, and no large data files in git. */
final class DataChecks {
    static final Rule TRACKED = new Rule(
            "data.versioned",
            DATA,
            4,
            Severity.HIGH,
            "Data is versioned (DVC / reprise data)",
            "The same code on different data gives different results; without a recorded data version a run"
                    + " cannot be reproduced once the data changes.",
            "Track the data: 'reprise data init' then 'reprise data add data/raw' (or dvc add), and commit the .dvc"
                    + " files.");
    static final Rule REMOTE = new Rule(
            "data.remote",
            DATA,
            3,
            Severity.MEDIUM,
            "The data has a default remote",
            "Versions that live only in one machine's cache cannot be pulled by a colleague or by CI.",
            "Add a default remote: 'reprise data remote add -d storage s3://bucket/project' (or a shared folder),"
                    + " then 'reprise data push'.");
    static final Rule LARGE = new Rule(
            "data.large-files-in-git",
            DATA,
            3,
            Severity.MEDIUM,
            "No large data or model files are committed to git",
            "Data in git bloats every clone and is versioned without content hashes the runs can refer to.",
            "Remove the file from git (git rm --cached FILE) and track it with 'reprise data add FILE'.");

    /** Any committed file above this is large. */
    static final long LARGE_FILE = 10L * 1024 * 1024;
    /** Data and model formats above this are data, not fixtures. */
    static final long LARGE_DATA_FILE = 1024 * 1024;

    private static final Set<String> DATA_EXTENSIONS = Set.of(
            "csv",
            "tsv",
            "parquet",
            "feather",
            "arrow",
            "h5",
            "hdf5",
            "hdf",
            "pkl",
            "pickle",
            "joblib",
            "npy",
            "npz",
            "pt",
            "pth",
            "ckpt",
            "safetensors",
            "onnx",
            "tfrecord",
            "tfrecords",
            "xlsx",
            "xls",
            "jsonl",
            "sav",
            "zip",
            "gz",
            "tgz",
            "tar",
            "7z",
            "bin",
            "mat",
            "h5ad",
            "avro",
            "orc",
            "db",
            "sqlite");

    private DataChecks() {}

    static List<Outcome> run(Project p) {
        return List.of(tracked(p), remote(p), large(p));
    }

    private static Outcome tracked(Project p) {
        boolean dvc = p.files().stream()
                .anyMatch(f -> (f.endsWith(".dvc") && !f.startsWith(".dvc/"))
                        || Project.fileName(f).equals("dvc.lock"));
        if (dvc) {
            return Outcome.pass(TRACKED);
        }
        return Outcome.fail(TRACKED, Finding.at(TRACKED, null, 0, "no data is versioned: no .dvc file or dvc.lock"));
    }

    private static Outcome remote(Project p) {
        if (!Files.isDirectory(p.root().resolve(".dvc"))) {
            return Outcome.fail(REMOTE, Finding.at(REMOTE, null, 0, "no DVC repository (.dvc/), hence no data remote"));
        }
        String def;
        Map<String, String> remotes;
        try (DataRepo repo = DataRepo.open(p.root(), 1)) {
            def = repo.defaultRemote();
            remotes = repo.remoteUrls();
        } catch (RuntimeException e) {
            p.warn(".dvc/config: not read (" + e.getMessage() + ")");
            return Outcome.fail(REMOTE, Finding.at(REMOTE, ".dvc/config", 0, ".dvc/config cannot be read"));
        }
        if (def != null && !def.isBlank() && remotes.containsKey(def)) {
            return Outcome.pass(REMOTE);
        }
        if (!remotes.isEmpty()) {
            String name = remotes.keySet().iterator().next();
            return Outcome.partial(
                    REMOTE,
                    0.5,
                    List.of(Finding.at(
                            REMOTE,
                            ".dvc/config",
                            0,
                            "remotes are configured but none is the default: push and pull need -r",
                            "Make one the default: 'reprise data remote default " + name + "'.")));
        }
        return Outcome.fail(REMOTE, Finding.at(REMOTE, ".dvc/config", 0, "no data remote is configured"));
    }

    private static Outcome large(Project p) {
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, Long> e : p.committedSizes().entrySet()) {
            String f = e.getKey();
            long size = e.getValue();
            boolean data = DATA_EXTENSIONS.contains(extension(f)) && size > LARGE_DATA_FILE;
            if (!f.startsWith(".dvc/") && (size > LARGE_FILE || data)) {
                findings.add(Finding.at(
                        LARGE,
                        f,
                        0,
                        f + " (" + mib(size) + ") is committed to git" + (data ? " although it is data" : "")));
            }
        }
        return findings.isEmpty() ? Outcome.pass(LARGE) : Outcome.fail(LARGE, findings.toArray(Finding[]::new));
    }

    private static String extension(String f) {
        String name = Project.fileName(f);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
