package io.reprise.capture;

import io.reprise.capture.DependencyFile.Pinning;
import io.reprise.capture.DependencyFiles.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Pinning verdict of a pip requirements file: is every requirement {@code ==}/{@code ===} exact? */
final class Requirements {
    // name, optional [extras], then the version part: "numpy[x]==1.2; python_version>'3'"
    private static final Pattern EXACT =
            Pattern.compile("^[A-Za-z0-9._-]+(\\[[^]]*])?\\s*===?\\s*[^*,;\\s]+\\s*(;.*)?$");

    private Requirements() {}

    static Verdict verdict(String text) {
        List<String> loose = new ArrayList<>();
        int total = 0;
        boolean hashes = false;
        for (String raw : logicalLines(text)) {
            String line = raw.replaceAll("(^|\\s)#.*", "").strip();
            hashes |= line.contains("--hash=");
            line = line.replaceAll("\\s--hash=\\S+", "").strip();
            if (line.isEmpty() || (line.startsWith("-") && !line.startsWith("-e"))) {
                continue; // options such as -r, -c, --index-url
            }
            total++;
            if (!EXACT.matcher(line).matches() && !line.contains(" @ ")) {
                loose.add(line.split("[\\s<>=!~;\\[]", 2)[0].replaceFirst("^-e$", line));
            }
        }
        if (total == 0) {
            return new Verdict(Pinning.UNKNOWN, "no requirements listed");
        }
        if (!loose.isEmpty()) {
            return new Verdict(
                    Pinning.UNPINNED,
                    loose.size() + " of " + total + " requirements not pinned with ==: " + String.join(", ", loose));
        }
        return hashes
                ? new Verdict(Pinning.LOCKED, "every requirement pinned with == and hashes")
                : new Verdict(Pinning.PINNED, "every requirement pinned with ==");
    }

    /**
     * Adds to {@code out} the files that requirement lines include with -r/-c (and those files'
     * includes, relative to each file), for hashing what an environment is built from.
     */
    static void referencedFiles(List<String> lines, java.nio.file.Path base, List<java.nio.file.Path> out, int depth) {
        if (depth > 10) {
            return; // a cycle; pip reports it
        }
        for (String raw : lines) {
            java.util.regex.Matcher m = INCLUDE.matcher(raw.strip());
            if (m.matches()) {
                java.nio.file.Path f = base.resolve(m.group(1)).normalize();
                out.add(f);
                try {
                    String text = java.nio.file.Files.readString(f);
                    referencedFiles(logicalLines(text), f.getParent(), out, depth + 1);
                } catch (java.io.IOException | java.io.UncheckedIOException e) {
                    // hashed as missing; pip says what is wrong
                }
            }
        }
    }

    private static final Pattern INCLUDE =
            Pattern.compile("(?:-r|-c|--requirement|--constraint)(?:\\s+|=)(\\S+)(?:\\s+#.*)?");

    /** Joins backslash-continued lines, as pip does. */
    private static List<String> logicalLines(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\\R")) {
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                lines.add(current.append(line).toString());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }
}
