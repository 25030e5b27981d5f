package io.reprise.policy;

import io.reprise.policy.Requirement.AnyMetric;
import io.reprise.policy.Requirement.CleanTree;
import io.reprise.policy.Requirement.RequiredArtifact;
import io.reprise.policy.Requirement.RequiredParam;
import io.reprise.policy.Requirement.RequiredTag;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a policy file (format: docs/policy.md). Strict: an unknown key, a wrong type or a bad regex
 * is an error naming the file and line, since a typo in a policy would silently weaken it.
 */
public final class PolicyParser {
    private static final Set<String> TOP = Set.of("version", "rules");
    private static final Set<String> RULE = Set.of("name", "experiments", "mode", "require");
    private static final Set<String> REQUIRE = Set.of("tags", "params", "artifacts", "metrics", "clean_tree");
    private static final Set<String> KEYED = Set.of("key", "regex", "at", "hint");
    private static final Set<String> ARTIFACT = Set.of("path", "hint");
    private static final Set<String> HINT_ONLY = Set.of("hint");

    private final String source;

    private PolicyParser(String source) {
        this.source = source;
    }

    /** Parses {@code text}; {@code source} names the file in error messages. */
    public static Policy parse(String text, String source) {
        return new PolicyParser(source).policy(text);
    }

    private Policy policy(String text) {
        Node root = compose(text);
        if (root == null) {
            throw new PolicyException(
                    source + ":1: the policy is empty; it needs a 'rules:' list (see docs/policy.md)");
        }
        Map<String, Node> top = mapping(root, TOP, "the policy");
        Node version = top.get("version");
        if (version != null && !"1".equals(scalar(version, "version"))) {
            throw error(
                    version, "unsupported version '" + scalar(version, "version") + "'; this server reads version 1");
        }
        Node rules = top.get("rules");
        if (rules == null) {
            throw error(root, "missing 'rules:' (a list of rules, see docs/policy.md)");
        }
        List<Rule> out = new ArrayList<>();
        for (Node r : sequence(rules, "rules")) {
            out.add(rule(r));
        }
        return new Policy(source, out);
    }

    private Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        try {
            return new Composer(
                            new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options)
                    .getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String line = mark == null ? "1" : String.valueOf(mark.getLine() + 1);
            String problem = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
            throw new PolicyException(source + ":" + line + ": not valid YAML: " + problem);
        } catch (YAMLException e) {
            throw new PolicyException(source + ":1: not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    private Rule rule(Node node) {
        Map<String, Node> m = mapping(node, RULE, "a rule");
        Node experiments = required(m, "experiments", node, "a rule");
        String glob = scalar(experiments, "experiments");
        if (glob.isEmpty()) {
            throw error(experiments, "'experiments' is empty; use \"*\" for every experiment");
        }
        Node modeNode = required(m, "mode", node, "a rule");
        Mode mode = switch (scalar(modeNode, "mode")) {
            case "enforce" -> Mode.ENFORCE;
            case "warn" -> Mode.WARN;
            default ->
                throw error(modeNode, "mode must be 'enforce' or 'warn', not '" + scalar(modeNode, "mode") + "'");
        };
        String name = m.containsKey("name") ? scalar(m.get("name"), "name") : glob;
        List<Requirement> reqs = m.containsKey("require") ? requirements(m.get("require")) : List.of();
        return new Rule(name, Glob.name(glob), mode, reqs, line(node));
    }

    private List<Requirement> requirements(Node node) {
        Map<String, Node> m = mapping(node, REQUIRE, "'require'");
        List<Requirement> out = new ArrayList<>();
        if (m.containsKey("tags")) {
            for (Node t : sequence(m.get("tags"), "tags")) {
                out.add(keyed(t, true));
            }
        }
        if (m.containsKey("params")) {
            for (Node p : sequence(m.get("params"), "params")) {
                out.add(keyed(p, false));
            }
        }
        if (m.containsKey("artifacts")) {
            for (Node a : sequence(m.get("artifacts"), "artifacts")) {
                out.add(artifact(a));
            }
        }
        if (m.containsKey("metrics") && flag(m.get("metrics"), "metrics")) {
            out.add(new AnyMetric(hint(m.get("metrics"))));
        }
        if (m.containsKey("clean_tree") && flag(m.get("clean_tree"), "clean_tree")) {
            out.add(new CleanTree(hint(m.get("clean_tree"))));
        }
        return out;
    }

    /** A tag or param: a bare key, or {key, regex, at, hint}. */
    private Requirement keyed(Node node, boolean tag) {
        String what = tag ? "a required tag" : "a required param";
        if (node instanceof ScalarNode) {
            String key = nonEmpty(node, what);
            return tag ? new RequiredTag(key, null, Stage.FINISH, null) : new RequiredParam(key, null, null);
        }
        Map<String, Node> m = mapping(node, KEYED, what);
        String key = nonEmpty(required(m, "key", node, what), "key");
        Pattern regex = m.containsKey("regex") ? regex(m.get("regex")) : null;
        String hint = m.containsKey("hint") ? scalar(m.get("hint"), "hint") : null;
        Stage at = m.containsKey("at") ? stage(m.get("at")) : Stage.FINISH;
        if (tag) {
            return new RequiredTag(key, regex, at, hint);
        }
        if (at == Stage.START) {
            throw error(m.get("at"), "params can only be checked 'at: finish': create-run carries no params");
        }
        return new RequiredParam(key, regex, hint);
    }

    private Requirement artifact(Node node) {
        if (node instanceof ScalarNode) {
            return new RequiredArtifact(Glob.path(nonEmpty(node, "an artifact glob")), null);
        }
        Map<String, Node> m = mapping(node, ARTIFACT, "a required artifact");
        String glob = nonEmpty(required(m, "path", node, "a required artifact"), "path");
        return new RequiredArtifact(Glob.path(glob), m.containsKey("hint") ? scalar(m.get("hint"), "hint") : null);
    }

    /** {@code true}/{@code false}, or a mapping with a hint (which means true). */
    private boolean flag(Node node, String what) {
        if (node instanceof MappingNode) {
            mapping(node, HINT_ONLY, "'" + what + "'");
            return true;
        }
        return switch (scalar(node, what).toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(node, "'" + what + "' must be true, false or {hint: ...}");
        };
    }

    private String hint(Node node) {
        return node instanceof MappingNode
                ? scalar(mapping(node, HINT_ONLY, "hint").get("hint"), "hint")
                : null;
    }

    private Stage stage(Node node) {
        return switch (scalar(node, "at")) {
            case "start" -> Stage.START;
            case "finish" -> Stage.FINISH;
            default -> throw error(node, "'at' must be 'start' or 'finish', not '" + scalar(node, "at") + "'");
        };
    }

    private Pattern regex(Node node) {
        String text = scalar(node, "regex");
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw error(node, "bad regex '" + text + "': " + e.getDescription());
        }
    }

    private Map<String, Node> mapping(Node node, Set<String> allowed, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, what + " must be a mapping (key: value lines)");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            String key = scalar(t.getKeyNode(), "a key");
            if (!allowed.contains(key)) {
                throw error(
                        t.getKeyNode(),
                        "unknown key '" + key + "' in " + what + " (expected one of: "
                                + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            out.put(key, t.getValueNode());
        }
        return out;
    }

    private Node required(Map<String, Node> m, String key, Node parent, String what) {
        Node n = m.get(key);
        if (n == null) {
            throw error(parent, what + " needs '" + key + ":'");
        }
        return n;
    }

    private List<Node> sequence(Node node, String what) {
        if (!(node instanceof SequenceNode s)) {
            throw error(node, "'" + what + "' must be a list ('- ' items)");
        }
        return s.getValue();
    }

    private String scalar(Node node, String what) {
        if (!(node instanceof ScalarNode s)) {
            throw error(node, what + " must be a single value, not a list or mapping");
        }
        return s.getValue();
    }

    private String nonEmpty(Node node, String what) {
        String v = scalar(node, what).strip();
        if (v.isEmpty()) {
            throw error(node, what + " is empty");
        }
        return v;
    }

    private PolicyException error(Node node, String reason) {
        return new PolicyException(source + ":" + line(node) + ": " + reason);
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
