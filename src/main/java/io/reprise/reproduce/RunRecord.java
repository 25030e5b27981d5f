package io.reprise.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's capture manifest ({@code reprise/manifest.json}, docs/capture-manifest.md) as reproduction
 * reads it. Read as a tree, not bound to capture's records: unknown keys are ignored and absent ones
 * mean "not recorded", as the schema says, so older and newer manifests both read.
 */
record RunRecord(JsonNode json) {
    static final String PATH = "reprise/manifest.json";

    /** A DVC output the run read. */
    record Data(String path, String md5, String source) {}

    /** A file whose content the run depended on (lock file, config). */
    record FileDigest(String path, String sha256, String artifact, String pinning) {}

    static RunRecord parse(byte[] bytes) {
        JsonNode n = Server.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        if (!n.isObject() || !n.has("command")) {
            throw new IllegalArgumentException("not a reprise manifest");
        }
        return new RunRecord(n);
    }

    List<String> argv() {
        List<String> out = new ArrayList<>();
        json.path("command").path("argv").forEach(a -> out.add(a.asText()));
        return out;
    }

    String line() {
        return json.path("command").path("line").asText(String.join(" ", argv()));
    }

    String workdirInRepo() {
        return json.path("command").path("workdir_in_repo").asText(".");
    }

    String workdir() {
        return json.path("command").path("workdir").asText("");
    }

    /** The seed given with --seed; null when none was. */
    Long seed() {
        JsonNode s = json.path("command").path("seed");
        return s.isNumber() ? s.asLong() : null;
    }

    JsonNode git() {
        return json.path("git");
    }

    String commit() {
        return git().path("commit").asText("");
    }

    String remoteUrl() {
        return git().path("remote_url").asText("");
    }

    boolean dirty() {
        return git().path("dirty").asBoolean(false);
    }

    JsonNode project() {
        return json.path("project");
    }

    boolean isProject() {
        return project().isObject();
    }

    Map<String, String> environment() {
        return strings(json.path("environment"));
    }

    boolean hasEnvironment() {
        return json.path("environment").isObject();
    }

    List<Data> data() {
        List<Data> out = new ArrayList<>();
        json.path("data")
                .path("inputs")
                .forEach(d -> out.add(new Data(
                        d.path("path").asText(),
                        d.path("md5").asText(),
                        d.path("source").asText(""))));
        return out;
    }

    List<FileDigest> dependencies() {
        return files(json.path("dependencies"));
    }

    List<FileDigest> configs() {
        return files(json.path("configs"));
    }

    JsonNode python() {
        return json.path("python");
    }

    /** Installed packages, name (lower case) to the freeze line's version part. */
    Map<String, String> packages() {
        List<String> lines = new ArrayList<>();
        python().path("packages").forEach(p -> lines.add(p.asText()));
        return packages(lines);
    }

    /** Freeze lines ({@code name==version}, {@code name @ url}) by lower-case name. */
    static Map<String, String> packages(List<String> lines) {
        return io.reprise.capture.FreezeLines.byName(lines);
    }

    JsonNode system() {
        return json.path("system");
    }

    private static List<FileDigest> files(JsonNode array) {
        List<FileDigest> out = new ArrayList<>();
        array.forEach(f -> out.add(new FileDigest(
                f.path("path").asText(),
                f.path("sha256").asText(""),
                f.path("artifact").asText(null),
                f.path("pinning").asText(""))));
        return out;
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
