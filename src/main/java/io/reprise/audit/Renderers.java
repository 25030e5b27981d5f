package io.reprise.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reprise.audit.Report.CategoryScore;
import io.reprise.audit.Report.Item;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The report as text for people, JSON for scripts (docs/audit.md) and SARIF 2.1.0 for code scanning. */
final class Renderers {
    static final int JSON_SCHEMA_VERSION = 1;
    static final String SARIF_SCHEMA =
            "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Renderers() {}

    static String version() {
        String v = Renderers.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    // ---- text

    static String text(Report r, int limit) {
        StringBuilder s = new StringBuilder();
        s.append("reprise audit: ").append(r.root()).append('\n');
        s.append("score ")
                .append(r.score())
                .append("/100, level ")
                .append(r.level())
                .append(" (")
                .append(r.levelName())
                .append(')');
        if (!r.levelReasons().isEmpty()) {
            s.append(": ").append(r.levelReasons().get(0));
        }
        s.append("\n\n");
        for (CategoryScore cs : r.categories()) {
            String score = cs.applicable() ? Report.percent(cs.score()) : "-";
            String note = cs.applicable()
                    ? ""
                    : cs.category() == Category.TEAM ? "  (with --tracking-uri)" : "  (not applicable)";
            s.append(String.format(
                    Locale.ROOT,
                    "  %-15s %5s  weight %2d%s%n",
                    cs.category().title,
                    score,
                    cs.category().weight,
                    note));
        }
        if (r.team() != null) {
            TeamServer.Evidence t = r.team();
            s.append(String.format(
                    Locale.ROOT,
                    "  team: %s, %d runs in %s; policy %s; %d/%d ended runs compliant;"
                            + " %d/%d audited runs reproduced%n",
                    t.server(),
                    t.runs(),
                    TeamChecks.scope(t),
                    t.policyMode(),
                    t.compliant(),
                    t.judged(),
                    t.reproduced(),
                    t.audited()));
        }
        if (r.items().isEmpty()) {
            s.append("\nnothing to fix.\n");
        } else {
            s.append("\nto fix, biggest score gain first:\n");
            Set<String> explained = new LinkedHashSet<>();
            int n = 0;
            for (Item i : r.items()) {
                if (++n > limit) {
                    s.append("  ... ").append(r.items().size() - limit).append(" more (--format json lists all)\n");
                    break;
                }
                Finding f = i.finding();
                s.append(String.format(
                        Locale.ROOT,
                        "%3d. %+5.1f  %-6s %s  %s%n",
                        n,
                        Report.round1(i.gain()),
                        f.rule().severity().name().toLowerCase(Locale.ROOT),
                        f.location(),
                        f.message()));
                if (explained.add(f.rule().id())) {
                    s.append("            why: ").append(f.rule().why()).append('\n');
                }
                s.append("            fix: ")
                        .append(f.fix())
                        .append(" [")
                        .append(f.rule().id())
                        .append("]\n");
            }
        }
        for (String next : r.nextLevel()) {
            s.append("\nnext: ").append(next).append('\n');
        }
        if (!r.warnings().isEmpty()) {
            s.append("\nwarnings:\n");
            r.warnings().forEach(w -> s.append("  ").append(w).append('\n'));
        }
        return s.toString();
    }

    // ---- JSON

    static String json(Report r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema_version", JSON_SCHEMA_VERSION);
        root.putObject("tool").put("name", "reprise audit").put("version", version());
        root.put("path", r.root());
        root.put("score", r.score());
        root.put("level", r.level());
        root.put("level_name", r.levelName());
        r.levelReasons().forEach(root.putArray("level_reasons")::add);
        r.nextLevel().forEach(root.putArray("next_level")::add);
        ArrayNode categories = root.putArray("categories");
        for (CategoryScore cs : r.categories()) {
            ObjectNode c = categories.addObject();
            c.put("id", cs.category().id());
            c.put("title", cs.category().title);
            c.put("weight", cs.category().weight);
            c.put("applicable", cs.applicable());
            if (cs.applicable()) {
                c.put("score", round3(cs.score()));
            } else {
                c.putNull("score");
            }
            ArrayNode rules = c.putArray("rules");
            for (Outcome o : cs.outcomes()) {
                rules.addObject()
                        .put("id", o.rule().id())
                        .put("title", o.rule().title())
                        .put("points", o.rule().points())
                        .put("applicable", o.applicable())
                        .put("earned", round3(o.earned()));
            }
        }
        ArrayNode findings = root.putArray("findings");
        for (Item i : r.items()) {
            Finding f = i.finding();
            ObjectNode o = findings.addObject();
            o.put("rule", f.rule().id());
            o.put("category", f.rule().category().id());
            o.put("severity", f.rule().severity().name().toLowerCase(Locale.ROOT));
            o.put("file", f.file());
            if (f.line() > 0) {
                o.put("line", f.line());
            } else {
                o.putNull("line");
            }
            if (f.column() > 0) {
                o.put("column", f.column());
            } else {
                o.putNull("column");
            }
            if (f.cell() == null) {
                o.putNull("notebook");
            } else {
                ObjectNode nb = o.putObject("notebook")
                        .put("cell", f.cell().cell())
                        .put("line", f.cell().line());
                if (f.cell().column() > 0) {
                    nb.put("column", f.cell().column());
                } else {
                    nb.putNull("column");
                }
            }
            o.put("message", f.message());
            o.put("why", f.rule().why());
            o.put("fix", f.fix());
            o.put("gain", Report.round1(i.gain()));
        }
        if (r.team() == null) {
            root.putNull("team");
        } else {
            TeamServer.Evidence t = r.team();
            ObjectNode team = root.putObject("team");
            team.put("server", t.server());
            t.experiments().forEach(team.putArray("experiments")::add);
            team.put("runs", t.runs());
            team.put("policy_mode", t.policyMode());
            team.put("compliant_runs", t.compliant());
            team.put("judged_runs", t.judged());
            team.put("audited_runs", t.audited());
            team.put("reproduced_runs", t.reproduced());
        }
        r.warnings().forEach(root.putArray("warnings")::add);
        return write(root);
    }

    private static double round3(double d) {
        return Math.round(d * 1000) / 1000.0;
    }

    // ---- SARIF 2.1.0

    static String sarif(Report r) {
        ObjectNode log = JSON.createObjectNode();
        log.put("$schema", SARIF_SCHEMA);
        log.put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "reprise-audit");
        driver.put("semanticVersion", semver(version()));
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        ArrayNode rules = driver.putArray("rules");
        for (CategoryScore cs : r.categories()) {
            for (Outcome o : cs.outcomes()) {
                Rule rule = o.rule();
                if (ruleIndex.putIfAbsent(rule.id(), ruleIndex.size()) == null) {
                    rules.add(rule(rule));
                }
            }
        }
        run.putObject("originalUriBaseIds").putObject("%SRCROOT%").put("uri", rootUri(r.root()));
        ArrayNode results = run.putArray("results");
        for (Item i : r.items()) {
            Finding f = i.finding();
            ObjectNode res = results.addObject();
            res.put("ruleId", f.rule().id());
            res.put("ruleIndex", ruleIndex.get(f.rule().id()));
            res.put("level", f.rule().severity().sarifLevel);
            res.putObject("message").put("text", f.message() + ". Fix: " + f.fix());
            if (f.file() != null) {
                ObjectNode location = res.putArray("locations").addObject();
                if (f.cell() != null) {
                    // SARIF has no notebook cells: the region is where the code is in the .ipynb text,
                    // and the location's message says which cell and line it is in the notebook
                    location.putObject("message")
                            .put(
                                    "text",
                                    "cell " + f.cell().cell() + ", line "
                                            + f.cell().line());
                }
                ObjectNode physical = location.putObject("physicalLocation");
                physical.putObject("artifactLocation")
                        .put("uri", relativeUri(f.file()))
                        .put("uriBaseId", "%SRCROOT%");
                if (f.line() > 0) {
                    ObjectNode region = physical.putObject("region").put("startLine", f.line());
                    if (f.column() > 0) {
                        region.put("startColumn", f.column());
                    }
                }
            }
            ObjectNode properties = res.putObject("properties")
                    .put("category", f.rule().category().id())
                    .put("gain", Report.round1(i.gain()));
            if (f.cell() != null) {
                properties
                        .put("notebookCell", f.cell().cell())
                        .put("notebookLine", f.cell().line());
            }
        }
        run.putArray("invocations").addObject().put("executionSuccessful", true);
        ObjectNode props = run.putObject("properties");
        props.put("score", r.score());
        props.put("level", r.level());
        props.put("levelName", r.levelName());
        return write(log);
    }

    private static ObjectNode rule(Rule rule) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", rule.id());
        o.put("name", camel(rule.id()));
        o.putObject("shortDescription").put("text", rule.title());
        o.putObject("fullDescription").put("text", rule.why());
        o.putObject("help")
                .put("text", rule.why() + " Fix: " + rule.fix())
                .put("markdown", "**" + rule.title() + "**\n\n" + rule.why() + "\n\n**Fix:** " + rule.fix());
        o.putObject("defaultConfiguration").put("level", rule.severity().sarifLevel);
        ObjectNode props = o.putObject("properties");
        props.put("category", rule.category().id());
        props.putArray("tags").add("reproducibility").add(rule.category().id());
        return o;
    }

    /** SARIF's rule name: an identifier-like PascalCase form of the id (env.lock -> EnvLock). */
    private static String camel(String id) {
        StringBuilder s = new StringBuilder();
        for (String part : id.split("[.\\-]", -1)) {
            if (!part.isEmpty()) {
                s.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return s.toString();
    }

    private static String semver(String v) {
        return v.matches("\\d+\\.\\d+\\.\\d+.*") ? v : "0.0.0-" + v.replaceAll("[^0-9A-Za-z-]", "-");
    }

    private static String rootUri(String root) {
        String uri = Path.of(root).toUri().toString();
        return uri.endsWith("/") ? uri : uri + "/";
    }

    /** A relative URI reference for a project path (each segment percent-encoded). */
    static String relativeUri(String path) {
        try {
            return new URI(null, null, path, null).getRawPath();
        } catch (java.net.URISyntaxException e) {
            return path.replace(" ", "%20");
        }
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> formats() {
        return List.of("text", "json", "sarif");
    }
}
