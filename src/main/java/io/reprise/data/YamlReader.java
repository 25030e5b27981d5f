package io.reprise.data;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
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
 * Reads YAML into a {@link YNode} tree. Plain scalars are typed with YAML 1.2 rules as ruamel.yaml
 * (DVC's parser) types them; SnakeYAML's own YAML 1.1 typing would turn {@code yes} into a boolean.
 */
final class YamlReader {
    private YamlReader() {}

    static YNode read(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Node root;
        try {
            // The composer alone: Yaml's constructor and representer machinery is slow to load and unused.
            Composer composer = new Composer(
                    new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options);
            root = composer.getSingleNode();
        } catch (YAMLException e) {
            throw new DataException(
                    "'" + source + "' is not valid YAML: " + firstLine(e.getMessage()) + ". Fix or delete it.");
        }
        return root == null ? new YNode.Map() : convert(root, source);
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static YNode convert(Node node, String source) {
        return switch (node) {
            case ScalarNode s -> scalar(s);
            case SequenceNode s -> {
                List<YNode> items = new ArrayList<>();
                for (Node item : s.getValue()) {
                    items.add(convert(item, source));
                }
                yield new YNode.Seq(items, s.getFlowStyle() == DumperOptions.FlowStyle.FLOW);
            }
            case MappingNode m -> {
                YNode.Map map = new YNode.Map(
                        new java.util.LinkedHashMap<>(), m.getFlowStyle() == DumperOptions.FlowStyle.FLOW);
                for (NodeTuple t : m.getValue()) {
                    if (!(t.getKeyNode() instanceof ScalarNode key)) {
                        throw new DataException("'" + source + "' has a non-scalar key; fix or delete it.");
                    }
                    map.put(key.getValue(), convert(t.getValueNode(), source));
                }
                yield map;
            }
            default -> throw new DataException("'" + source + "' uses YAML anchors or tags that DVC files do not.");
        };
    }

    private static YNode.Scalar scalar(ScalarNode s) {
        String v = s.getValue();
        if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
            return YNode.Scalar.str(v);
        }
        YNode.Kind kind = YamlResolver.kindOf(v);
        return switch (kind) {
            case BOOL -> YNode.Scalar.bool(v.equalsIgnoreCase("true"));
            case NULL -> new YNode.Scalar("", YNode.Kind.NULL);
            default -> new YNode.Scalar(v, kind);
        };
    }
}
