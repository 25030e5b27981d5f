package io.reprise.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The outputs pipeline stages produced, as {@code dvc.lock} (schema 2.0) records them. Paths are
 * relative to the stage's {@code wdir} and whether an output is cached is said only in the
 * {@code dvc.yaml} beside it, so that file is read too. Read-only: stages are run by dvc.
 */
final class LockFile {
    static final String NAME = "dvc.lock";
    static final String PIPELINE = "dvc.yaml";
    private static final List<String> OUTPUT_KINDS = List.of("outs", "metrics", "plots");

    private LockFile() {}

    /** The outputs in {@code lockText}; {@code yamlText} (dvc.yaml, may be null) gives wdirs and cache flags. */
    static List<Tracked> parse(Path lockPath, String lockText, String yamlText, String shown) {
        if (!(YamlReader.read(lockText, shown) instanceof YNode.Map lock)) {
            throw new DataException("'" + shown + "' is not a dvc.lock file (expected a mapping); fix or delete it.");
        }
        if (!"2.0".equals(lock.string("schema"))) {
            throw new DataException("'" + shown + "' is in the DVC 1.x format (no \"schema: '2.0'\"); run 'dvc commit'"
                    + " with dvc 2 or later to upgrade it.");
        }
        Map<String, YNode.Map> defined = yamlText == null ? Map.of() : stages(yamlText, shown);
        List<Tracked> out = new ArrayList<>();
        if (!(lock.get("stages") instanceof YNode.Map stages)) {
            return out;
        }
        for (Map.Entry<String, YNode> stage : stages.entries().entrySet()) {
            if (!(stage.getValue() instanceof YNode.Map body) || !(body.get("outs") instanceof YNode.Seq outs)) {
                continue;
            }
            // foreach/matrix stages are locked as name@key; their definition is under name.
            String name = stage.getKey();
            YNode.Map def = defined.get(name.contains("@") ? name.substring(0, name.indexOf('@')) : name);
            String wdir = def == null || def.string("wdir") == null ? "." : def.string("wdir");
            Map<String, Boolean> cacheFlags = cacheFlags(def);
            Path dir = lockPath.getParent().resolve(wdir).normalize();
            int index = 0;
            for (YNode item : outs.items()) {
                if (!(item instanceof YNode.Map m) || m.string("path") == null) {
                    throw new DataException("'" + shown + "': stage '" + name + "' has an output without a path.");
                }
                Output o = Output.from(m).withCached(cacheFlags.getOrDefault(m.string("path"), true));
                out.add(new Tracked(
                        lockPath, name, null, index++, o, dir.resolve(o.path()).normalize()));
            }
        }
        return out;
    }

    private static Map<String, YNode.Map> stages(String yamlText, String shown) {
        Map<String, YNode.Map> out = new HashMap<>();
        if (YamlReader.read(yamlText, shown.replace(NAME, PIPELINE)) instanceof YNode.Map doc
                && doc.get("stages") instanceof YNode.Map stages) {
            stages.entries().forEach((k, v) -> {
                if (v instanceof YNode.Map m) {
                    out.put(k, m);
                }
            });
        }
        return out;
    }

    // outs/metrics/plots entries are "path" or {path: {cache: false, ...}}.
    private static Map<String, Boolean> cacheFlags(YNode.Map def) {
        Map<String, Boolean> flags = new HashMap<>();
        if (def == null) {
            return flags;
        }
        for (String kind : OUTPUT_KINDS) {
            if (def.get(kind) instanceof YNode.Seq seq) {
                for (YNode item : seq.items()) {
                    if (item instanceof YNode.Map m) {
                        m.entries()
                                .forEach((path, opts) -> flags.put(
                                        path, !(opts instanceof YNode.Map o && "false".equals(o.string("cache")))));
                    }
                }
            }
        }
        return flags;
    }
}
