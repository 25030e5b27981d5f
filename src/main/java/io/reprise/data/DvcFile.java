package io.reprise.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code .dvc} file. Updates follow DVC's load/apply_diff/dump cycle: keys we do not manage keep
 * their place, new keys are appended, and the text is re-emitted as ruamel.yaml would emit it.
 */
final class DvcFile {
    static final String SUFFIX = ".dvc";
    // Top-level keys DVC's Stage.dumpd can write; any other key (e.g. a 1.x stage md5) is dropped.
    private static final Set<String> STAGE_KEYS =
            Set.of("desc", "cmd", "wdir", "frozen", "deps", "outs", "always_changed", "meta");
    // Output keys that describe the content; rewritten on every save.
    private static final List<String> HASH_KEYS =
            List.of("md5", "size", "nfiles", "isexec", "hash", "etag", "checksum", "version_id");

    private final Path file;
    private final YNode.Map doc;

    private DvcFile(Path file, YNode.Map doc) {
        this.file = file;
        this.doc = doc;
    }

    Path file() {
        return file;
    }

    static DvcFile load(Path file, String shownName) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DataException("'" + shownName + "' does not exist.");
        } catch (java.io.IOException e) {
            throw new DataException("Cannot read '" + shownName + "': " + e.getMessage(), e);
        }
        return parse(file, text, shownName);
    }

    /** A .dvc file from its text (as read from disk or from a git revision). */
    static DvcFile parse(Path file, String text, String shownName) {
        if (!(YamlReader.read(text, shownName) instanceof YNode.Map map)) {
            throw new DataException("'" + shownName + "' is not a DVC file (expected a mapping with 'outs').");
        }
        return new DvcFile(file, map);
    }

    static DvcFile create(Path file) {
        return new DvcFile(file, new YNode.Map());
    }

    /** True for a pipeline-style single-stage file (has a command or dependencies); we only read those. */
    boolean isPipelineStage() {
        return doc.get("cmd") != null
                || (doc.get("deps") instanceof YNode.Seq s && !s.items().isEmpty());
    }

    /** The wdir the outputs' paths are relative to ("." unless the file says otherwise). */
    String wdir() {
        String w = doc.string("wdir");
        return w == null ? "." : w;
    }

    List<Output> outputs(String shownName) {
        List<Output> outs = new ArrayList<>();
        if (doc.get("outs") instanceof YNode.Seq seq) {
            for (YNode item : seq.items()) {
                if (!(item instanceof YNode.Map m) || m.string("path") == null) {
                    throw new DataException("'" + shownName + "' has an output without a path; fix or delete it.");
                }
                outs.add(Output.from(m));
            }
        } else if (doc.get("outs") != null) {
            throw new DataException("'" + shownName + "': 'outs' must be a list.");
        }
        return outs;
    }

    /** Records a new hash for the output at {@code index}, or appends a new output when index == size. */
    void saveOutput(int index, Output out) {
        YNode.Seq seq = doc.get("outs") instanceof YNode.Seq s ? s : null;
        if (seq == null) {
            seq = new YNode.Seq(new ArrayList<>(), false);
            doc.put("outs", seq);
        }
        YNode.Map dest = index < seq.items().size() ? (YNode.Map) seq.items().get(index) : null;
        if (dest == null) {
            seq.items().add(out.toYaml(new YNode.Map()));
        } else {
            out.toYaml(dest);
        }
        doc.entries().keySet().retainAll(STAGE_KEYS);
    }

    String render() {
        return YamlEmitter.dump(doc);
    }

    void write() {
        AtomicFiles.writeString(file, render());
    }

    static List<String> hashKeys() {
        return HASH_KEYS;
    }
}
