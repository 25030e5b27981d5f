package io.reprise.check;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pull-request description in Markdown: its sections by heading (HTML comments, the template's
 * instructions, removed), the runs it links and the metric values its Results section quotes.
 */
final class PrBody {
    /** The sections a PR must fill in, each found by a heading that starts with one of the words. */
    enum Section {
        RUNS("Runs", "run"),
        CONFIG("Config", "config"),
        DATA("Data version", "data"),
        RESULTS("Results", "result"),
        REPRODUCE("Reproduce", "reproduc");

        final String title;
        final String prefix;

        Section(String title, String prefix) {
            this.title = title;
            this.prefix = prefix;
        }
    }

    /** A metric value the Results section quotes; {@code text} is the number as written. */
    record Quote(String metric, String text, double value, double tolerance, int line) {}

    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern UI_LINK =
            Pattern.compile("(https?://[^\\s)\\]>\"'#]+?)/?#/experiments/\\d+/runs/([0-9a-f]{32})");
    private static final Pattern RUNS_URI = Pattern.compile("runs:/([0-9a-f]{32})");
    // "accuracy: 0.931", "- **val_loss** = 0.25", "| f1 | 93.1% |"
    private static final Pattern QUOTE =
            Pattern.compile("^[\\s>*-]*\\|?\\s*[`*_]*([A-Za-z][\\w.\\-/ ]*?)[`*_]*\\s*(?::|=|\\|)\\s*[`*_]*"
                    + "([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)(%?)[`*_]*\\s*\\|?\\s*$");

    private final Map<Section, String> sections = new LinkedHashMap<>();
    private final Map<Section, Integer> sectionLines = new LinkedHashMap<>();
    private final String text;

    private PrBody(String text) {
        this.text = COMMENT.matcher(text).replaceAll("");
    }

    static PrBody parse(String markdown) {
        PrBody b = new PrBody(markdown);
        b.split();
        return b;
    }

    private void split() {
        Section current = null;
        StringBuilder content = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher h = HEADING.matcher(lines[i]);
            if (h.matches()) {
                store(current, content);
                current = section(h.group(1)).orElse(null);
                content = new StringBuilder();
                if (current != null && !sectionLines.containsKey(current)) {
                    sectionLines.put(current, i + 1);
                }
            } else {
                content.append(lines[i]).append('\n');
            }
        }
        store(current, content);
    }

    private void store(Section s, StringBuilder content) {
        if (s != null) {
            sections.merge(s, content.toString(), String::concat);
        }
    }

    private static Optional<Section> section(String heading) {
        String h = heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", "").strip();
        for (Section s : Section.values()) {
            if (h.startsWith(s.prefix)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Whether the section has a heading and something in it besides the template's comments. */
    boolean filled(Section s) {
        return !sections.getOrDefault(s, "").isBlank();
    }

    boolean present(Section s) {
        return sections.containsKey(s);
    }

    /** Run ids linked anywhere, in order: UI links (with their server) and runs:/ URIs. */
    Map<String, String> runLinks() {
        Map<String, String> runs = new LinkedHashMap<>();
        Matcher m = UI_LINK.matcher(text);
        while (m.find()) {
            runs.putIfAbsent(m.group(2), m.group(1));
        }
        Matcher r = RUNS_URI.matcher(text);
        while (r.find()) {
            runs.putIfAbsent(r.group(1), "");
        }
        return runs;
    }

    /** Bare 32-hex run ids in the Runs section (a plain id is a link to this server). */
    Set<String> runIdsInRunsSection() {
        Set<String> ids = new LinkedHashSet<>();
        Matcher m = RUN_ID.matcher(sections.getOrDefault(Section.RUNS, ""));
        while (m.find()) {
            ids.add(m.group());
        }
        return ids;
    }

    List<Quote> quotes() {
        List<Quote> out = new ArrayList<>();
        String results = sections.getOrDefault(Section.RESULTS, "");
        int first = sectionLines.getOrDefault(Section.RESULTS, 0);
        String[] lines = results.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = QUOTE.matcher(lines[i]);
            if (m.matches()) {
                BigDecimal number = new BigDecimal(m.group(2));
                boolean percent = !m.group(3).isEmpty();
                // a quoted number stands for the run's value rounded to the digits written
                double tolerance = 0.5 * Math.pow(10, -Math.max(number.scale(), 0)) * (percent ? 0.01 : 1);
                double value = number.doubleValue() * (percent ? 0.01 : 1);
                out.add(new Quote(m.group(1).strip(), m.group(2) + m.group(3), value, tolerance, first + i + 1));
            }
        }
        return out;
    }
}
