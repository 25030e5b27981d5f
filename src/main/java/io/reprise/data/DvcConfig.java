package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The repo's {@code .dvc/config}, with {@code .dvc/config.local} layered over it for reading. Local
 * paths in either are relative to the {@code .dvc} folder, as DVC stores them.
 */
final class DvcConfig {
    static final String FILE = "config";
    static final String LOCAL_FILE = "config.local";
    private static final Pattern URL_SCHEME = Pattern.compile("^\\w+://.*", Pattern.DOTALL);

    private final Path dvcDir;
    private final IniFile repo;
    private final IniFile local;

    private DvcConfig(Path dvcDir, IniFile repo, IniFile local) {
        this.dvcDir = dvcDir;
        this.repo = repo;
        this.local = local;
    }

    static DvcConfig load(Path dvcDir) {
        return new DvcConfig(dvcDir, read(dvcDir.resolve(FILE)), read(dvcDir.resolve(LOCAL_FILE)));
    }

    private static IniFile read(Path file) {
        if (!Files.exists(file)) {
            return new IniFile();
        }
        try {
            return IniFile.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString())
                    .loaded();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The repo-level file, for edits ({@code dvc remote add} and friends write there by default). */
    IniFile repoFile() {
        return repo;
    }

    void saveRepoFile() {
        AtomicFiles.writeString(dvcDir.resolve(FILE), repo.render());
    }

    /** config.local, for edits of what must not be committed (credentials). */
    IniFile localFile() {
        return local;
    }

    void saveLocalFile() {
        AtomicFiles.writeString(dvcDir.resolve(LOCAL_FILE), local.render());
    }

    String get(String section, String key) {
        String v = local.get(section, key);
        return v != null ? v : repo.get(section, key);
    }

    boolean noScm() {
        return "true".equalsIgnoreCase(get("core", "no_scm"));
    }

    boolean autostage() {
        return "true".equalsIgnoreCase(get("core", "autostage"));
    }

    String defaultRemote() {
        return get("core", "remote");
    }

    /** Remote name -> url as written (merged, local wins). */
    Map<String, String> remotes() {
        Map<String, String> out = new LinkedHashMap<>();
        repo.named.get("remote").forEach((n, s) -> out.put(n, s.get("url")));
        local.named.get("remote").forEach((n, s) -> {
            if (s.get("url") != null) {
                out.put(n, s.get("url"));
            }
        });
        return out;
    }

    /** The options of one remote (url, endpointurl, credentials...), config.local over config. */
    Map<String, String> remoteOptions(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        var repoSection = repo.named.get("remote").get(name);
        if (repoSection != null) {
            out.putAll(repoSection);
        }
        var localSection = local.named.get("remote").get(name);
        if (localSection != null) {
            out.putAll(localSection);
        }
        return out;
    }

    Path cacheDir() {
        String dir = get("cache", "dir");
        return dir == null ? dvcDir.resolve("cache") : resolvePath(dir);
    }

    List<Linker.Type> linkTypes() {
        String t = get("cache", "type");
        List<Linker.Type> types = new ArrayList<>();
        if (t == null || t.isBlank()) {
            types.add(Linker.Type.REFLINK);
            types.add(Linker.Type.COPY);
        } else {
            for (String part : t.split(",", -1)) {
                if (!part.isBlank()) {
                    types.add(Linker.Type.parse(part));
                }
            }
        }
        return types;
    }

    /** A local path as the config means it: absolute, {@code ~/...}, or relative to .dvc/. */
    Path resolvePath(String p) {
        if (p.startsWith("~/") || p.equals("~")) {
            return Path.of(System.getProperty("user.home"))
                    .resolve(p.substring(1).replaceFirst("^/", ""));
        }
        return dvcDir.resolve(p).normalize();
    }

    static boolean isUrl(String s) {
        return URL_SCHEME.matcher(s).matches();
    }

    /** How DVC stores a user-given local path in the config: relative to .dvc/ unless absolute. */
    String toConfigPath(String given, Path cwd) {
        if (isUrl(given) || given.startsWith("~") || Path.of(given).isAbsolute()) {
            return given;
        }
        Path abs = cwd.resolve(given).toAbsolutePath().normalize();
        return dvcDir.toAbsolutePath().normalize().relativize(abs).toString().replace('\\', '/');
    }
}
