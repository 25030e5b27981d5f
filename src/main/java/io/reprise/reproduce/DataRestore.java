package io.reprise.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.data.DataException;
import io.reprise.data.DataRepo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Restores the DVC data a run read into a checkout: objects come from the local repository's cache
 * (shared, not copied) or are pulled from the remote, verified by md5 on the way in.
 *
 * <p>An object the remote holds whose bytes do not match the recorded md5 never enters the cache
 * under that name. The reproduction goes on with those bytes written straight into the checkout, and
 * the mismatch is reported: the verdict is then DIVERGED whatever the metrics say, naming the data.
 * An object neither in the cache nor on the remote is FAILED.
 */
final class DataRestore {
    /** Data whose bytes differ from the record: what was recorded and what was found. */
    record Mismatch(String path, String recordedMd5, String foundMd5, String detail) {
        String describe() {
            return path + ": recorded md5 " + short8(recordedMd5) + ", the remote's copy has md5 " + short8(foundMd5)
                    + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /** What was restored and what differs from the record. */
    record Result(List<String> restored, List<Mismatch> mismatches, String cache) {}

    private DataRestore() {}

    static Result restore(Path checkout, Path local, List<RunRecord.Data> inputs) {
        if (inputs.isEmpty()) {
            return new Result(List.of(), List.of(), "");
        }
        if (!Files.isDirectory(checkout.resolve(".dvc"))) {
            throw new Failed(
                    "the run read DVC data (" + inputs.get(0).path() + ") but the checkout has no .dvc folder");
        }
        String cache = shareLocalSetup(checkout, local);
        List<String> restored = new ArrayList<>();
        List<Mismatch> mismatches = new ArrayList<>();
        try (DataRepo repo = DataRepo.open(checkout, 0)) {
            for (RunRecord.Data in : inputs) {
                try {
                    DataRepo.CheckoutResult r = repo.pull(List.of(in.path()), null, true);
                    if (!r.missing().isEmpty()) {
                        throw new Failed(
                                "data " + in.path() + " (md5 " + in.md5()
                                        + ") is neither in the cache nor on the remote",
                                "push it from a machine that has it: reprise data push " + in.path());
                    }
                    restored.add(in.path());
                } catch (DataException | UncheckedIOException e) {
                    mismatches.addAll(substitute(repo, checkout, in, e));
                }
            }
        }
        return new Result(restored, mismatches, cache);
    }

    /**
     * Checks out every DVC output of a checkout of the local repository (for verify): from the shared
     * cache, pulling what it lacks. Returns the outputs restored.
     */
    static List<String> restoreAll(Path checkout, Path local) {
        if (!Files.isDirectory(checkout.resolve(".dvc"))) {
            return List.of();
        }
        shareLocalSetup(checkout, local);
        try (DataRepo repo = DataRepo.open(checkout, 0)) {
            if (!repo.tracksAnything()) {
                return List.of();
            }
            DataRepo.CheckoutResult r = repo.checkout(List.of(), true);
            if (!r.missing().isEmpty()) {
                r = repo.pull(List.of(), null, true);
            }
            if (!r.missing().isEmpty()) {
                throw new Failed(
                        "data missing from the cache and the remote: " + String.join(", ", r.missing()),
                        "reprise data pull (or push from a machine that has it)");
            }
            return List.copyOf(r.changes().keySet());
        } catch (DataException | UncheckedIOException e) {
            throw new Failed("cannot check out the DVC data: " + e.getMessage());
        }
    }

    /**
     * A temporary checkout has an empty cache and, for a local remote with a relative path, the
     * wrong remote: link the local repository's cache (so nothing cached is fetched again) and point
     * the remotes where the local repository's point.
     */
    private static String shareLocalSetup(Path checkout, Path local) {
        if (local == null || !Files.isDirectory(local.resolve(".dvc"))) {
            return "";
        }
        try {
            Path localConfig = local.resolve(".dvc/config.local");
            if (Files.isRegularFile(localConfig)) { // credentials and private settings are kept out of git
                Files.copy(localConfig, checkout.resolve(".dvc/config.local"));
            }
            Path sharedCache;
            Map<String, String> urls;
            try (DataRepo source = DataRepo.open(local, 1)) {
                sharedCache = source.cacheDir();
                urls = source.remoteUrls();
            }
            try (DataRepo target = DataRepo.open(checkout, 1)) {
                Path cache = target.cacheDir();
                if (cache.equals(checkout.resolve(".dvc/cache")) && !Files.exists(cache, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(sharedCache);
                    Files.createSymbolicLink(cache, sharedCache.toAbsolutePath());
                }
                Map<String, String> mine = target.remoteUrls();
                urls.forEach((name, url) -> {
                    if (mine.containsKey(name)
                            && !mine.get(name).equals(url)
                            && Path.of(url).isAbsolute()) {
                        target.remoteModify(name, "url", url, true);
                    }
                });
            }
            return sharedCache.toString();
        } catch (IOException e) {
            throw new Failed("cannot prepare the data cache of the checkout: " + e.getMessage());
        }
    }

    /**
     * The pull failed: find out whether the remote's bytes differ from the record and, if so, use them
     * (outside the cache) and report it; anything else fails the reproduction.
     */
    private static List<Mismatch> substitute(DataRepo repo, Path checkout, RunRecord.Data in, RuntimeException cause) {
        try {
            if (!in.md5().endsWith(".dir")) {
                byte[] bytes = repo.readUnverified(in.md5(), null);
                if (bytes == null || md5(bytes).equals(in.md5())) {
                    throw failed(in, cause);
                }
                write(checkout, in.path(), bytes);
                return List.of(new Mismatch(in.path(), in.md5(), md5(bytes), ""));
            }
            byte[] manifest = repo.readUnverified(in.md5(), null);
            if (manifest == null || !(md5(manifest) + ".dir").equals(in.md5())) {
                throw failed(in, cause);
            }
            List<Mismatch> out = new ArrayList<>();
            for (JsonNode e : Server.JSON.readTree(manifest)) {
                String rel = e.path("relpath").asText();
                String md5 = e.path("md5").asText();
                byte[] bytes = repo.readUnverified(md5, null);
                if (bytes == null) {
                    throw failed(in, cause);
                }
                write(checkout, in.path() + "/" + rel, bytes);
                if (!md5(bytes).equals(md5)) {
                    out.add(new Mismatch(in.path() + "/" + rel, md5, md5(bytes), "in " + in.path()));
                }
            }
            if (out.isEmpty()) {
                throw failed(in, cause);
            }
            return out;
        } catch (IOException | DataException | UncheckedIOException e) {
            throw failed(in, cause);
        }
    }

    private static Failed failed(RunRecord.Data in, RuntimeException cause) {
        return new Failed("cannot restore data " + in.path() + " (md5 " + in.md5() + "): " + cause.getMessage());
    }

    private static void write(Path checkout, String path, byte[] bytes) throws IOException {
        Path rel = Path.of(path).normalize();
        if (rel.isAbsolute() || rel.startsWith("..")) {
            throw new Failed("refusing data path '" + path + "': outside the repository");
        }
        Path target = checkout.resolve(rel);
        Files.createDirectories(target.getParent());
        if (!target.getParent().toRealPath().startsWith(checkout.toRealPath())) { // a committed symlink
            throw new Failed("refusing data path '" + path + "': it leads outside the checkout");
        }
        Files.deleteIfExists(target); // may be a link into the cache: never write through it
        Files.write(target, bytes);
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String short8(String md5) {
        return md5.length() > 8 ? md5.substring(0, 8) : md5;
    }
}
