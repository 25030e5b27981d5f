package io.reprise.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.reprise.capture.DependencyFile.Pinning;
import io.reprise.capture.DependencyFiles.Verdict;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Pinning verdict of a conda environment.yml: conda specs need {@code =version}, pip ones {@code ==}. */
final class CondaEnvironment {
    private static final Pattern CONDA_EXACT = Pattern.compile("^[^=<>!~\\s]+\\s*==?\\s*[^*<>,|\\s]+.*$");

    private CondaEnvironment() {}

    static Verdict verdict(String text) {
        JsonNode deps;
        try {
            deps = new YAMLMapper().readTree(text).path("dependencies");
        } catch (IOException e) {
            return new Verdict(
                    Pinning.UNKNOWN,
                    "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        List<String> loose = new ArrayList<>();
        int total = 0;
        for (JsonNode d : deps) {
            if (d.isTextual()) {
                total++;
                if (!CONDA_EXACT.matcher(d.asText()).matches()) {
                    loose.add(d.asText());
                }
            } else if (d.has("pip")) {
                String pip = String.join("\n", textValues(d.get("pip")));
                Verdict v = Requirements.verdict(pip);
                if (v.pinning() == Pinning.UNPINNED) {
                    loose.add("pip: " + v.detail());
                }
                total++;
            }
        }
        if (total == 0) {
            return new Verdict(Pinning.UNKNOWN, "no dependencies listed");
        }
        return loose.isEmpty()
                ? new Verdict(Pinning.PINNED, "every dependency has an exact version")
                : new Verdict(Pinning.UNPINNED, "not pinned: " + String.join(", ", loose));
    }

    private static List<String> textValues(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
