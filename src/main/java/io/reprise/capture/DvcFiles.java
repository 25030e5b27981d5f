package io.reprise.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the data versions DVC has recorded, from the metadata files only: the data itself is never
 * read or hashed. {@code .dvc} files name their outputs; {@code dvc.lock} names each stage's.
 */
final class DvcFiles {
    private DvcFiles() {}

    /**
     * Parses DVC metadata files.
     *
     * @param files relative path (to the repository root) → file content, read before the command ran
     * @param warnings receives one line per file that could not be read
     */
    static List<DataInput> parse(Map<String, String> files, List<String> warnings) {
        if (files.isEmpty()) {
            return List.of(); // without loading YAML support, which is slow to start
        }
        Map<String, DataInput> byPath = new LinkedHashMap<>();
        YAMLMapper yaml = new YAMLMapper();
        files.forEach((file, content) -> {
            try {
                JsonNode doc = yaml.readTree(content);
                String dir = file.contains("/") ? file.substring(0, file.lastIndexOf('/') + 1) : "";
                if (file.endsWith(".dvc")) {
                    outs(doc.path("outs"), dir, file).forEach(d -> byPath.putIfAbsent(d.path(), d));
                } else {
                    for (Iterator<Map.Entry<String, JsonNode>> it =
                                    doc.path("stages").fields();
                            it.hasNext(); ) {
                        Map.Entry<String, JsonNode> stage = it.next();
                        outs(stage.getValue().path("outs"), dir, file + ":" + stage.getKey())
                                .forEach(d -> byPath.putIfAbsent(d.path(), d));
                    }
                }
            } catch (IOException e) {
                warnings.add("cannot read " + file + ": "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        });
        return List.copyOf(byPath.values());
    }

    private static List<DataInput> outs(JsonNode outs, String dir, String source) {
        List<DataInput> found = new ArrayList<>();
        for (JsonNode out : outs) {
            String md5 = out.path("md5").asText(out.path("etag").asText(""));
            if (!md5.isEmpty() && out.hasNonNull("path")) {
                found.add(new DataInput(
                        normalize(dir + out.get("path").asText()),
                        md5,
                        out.path("size").asLong(-1),
                        out.has("nfiles") ? out.get("nfiles").asLong() : -1,
                        source));
            }
        }
        return found;
    }

    private static String normalize(String path) {
        return java.nio.file.Path.of(path).normalize().toString();
    }

    /**
     * One line naming the data a run saw: a short digest over all outputs (equal digests mean the same
     * data), then each output's path and md5 prefix, cut to fit an MLflow tag.
     */
    static String summary(List<DataInput> inputs) {
        String all = inputs.stream()
                .sorted(java.util.Comparator.comparing(DataInput::path))
                .map(d -> d.path() + "=" + d.md5())
                .collect(Collectors.joining("\n"));
        String list = inputs.stream()
                .map(d -> d.path() + " "
                        + d.md5().substring(0, Math.min(8, d.md5().length())))
                .collect(Collectors.joining(", "));
        String line = digest(all).substring(0, 12) + " (" + inputs.size() + " DVC output"
                + (inputs.size() == 1 ? "" : "s") + ": " + list + ")";
        return line.length() <= 5000 ? line : line.substring(0, 4996) + "...)";
    }

    private static String digest(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
