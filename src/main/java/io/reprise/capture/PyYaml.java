package io.reprise.capture;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
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
 * YAML as MLflow reads it ({@code yaml.safe_load}): plain scalars typed by PyYAML's YAML 1.1 rules
 * ({@code yes} is True, {@code 1e-3} a string, {@code 0.10} the float 0.1), so that {@link #str}
 * renders a value exactly as Python's {@code str()} would when MLflow substitutes it.
 *
 * <p>Values are maps, lists, {@code String}, {@code Boolean}, {@code BigInteger}, {@code Double} or null.
 */
final class PyYaml {
    private static final Pattern BOOL =
            Pattern.compile("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE" + "|on|On|ON|off|Off|OFF");
    private static final Pattern INT = Pattern.compile("[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)"
            + "|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
            + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");
    private static final java.util.Set<String> TRUE = java.util.Set.of("yes", "true", "on");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");

    private PyYaml() {}

    /** Parses {@code text}; throws {@link IllegalArgumentException} with a one-line reason. */
    static Object load(String text) {
        LoaderOptions options = new LoaderOptions();
        Node root;
        try {
            // The composer alone: SnakeYAML's constructor machinery is slow to load and unused.
            root = new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options)
                    .getSingleNode();
        } catch (YAMLException e) {
            String m = String.valueOf(e.getMessage()).strip();
            throw new IllegalArgumentException(m.contains("\n") ? m.substring(0, m.indexOf('\n')) : m, e);
        }
        return root == null ? null : convert(root);
    }

    private static Object convert(Node node) {
        return switch (node) {
            case ScalarNode s -> scalar(s);
            case SequenceNode s -> {
                List<Object> items = new ArrayList<>();
                s.getValue().forEach(n -> items.add(convert(n)));
                yield items;
            }
            case MappingNode m -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) {
                    map.put(str(convert(t.getKeyNode())), convert(t.getValueNode()));
                }
                yield map;
            }
            default -> throw new IllegalArgumentException("unsupported YAML node " + node.getNodeId());
        };
    }

    static Object scalar(ScalarNode s) {
        String v = s.getValue();
        if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
            return v;
        }
        if (NULL.matcher(v).matches()) {
            return null;
        }
        if (BOOL.matcher(v).matches()) {
            return TRUE.contains(v.toLowerCase(Locale.ROOT));
        }
        if (INT.matcher(v).matches()) {
            return integer(v.replace("_", ""));
        }
        if (FLOAT.matcher(v).matches()) {
            return floating(v.replace("_", "").toLowerCase(Locale.ROOT));
        }
        return v;
    }

    private static BigInteger integer(String v) {
        int sign = v.startsWith("-") ? -1 : 1;
        String d = v.startsWith("-") || v.startsWith("+") ? v.substring(1) : v;
        BigInteger n;
        if (d.equals("0")) {
            n = BigInteger.ZERO;
        } else if (d.startsWith("0b")) {
            n = new BigInteger(d.substring(2), 2);
        } else if (d.startsWith("0x")) {
            n = new BigInteger(d.substring(2), 16);
        } else if (d.startsWith("0")) {
            n = new BigInteger(d.substring(1), 8);
        } else if (d.contains(":")) {
            n = BigInteger.ZERO;
            for (String digit : d.split(":", -1)) {
                n = n.multiply(BigInteger.valueOf(60)).add(new BigInteger(digit));
            }
        } else {
            n = new BigInteger(d);
        }
        return sign < 0 ? n.negate() : n;
    }

    private static double floating(String v) {
        int sign = v.startsWith("-") ? -1 : 1;
        String d = v.startsWith("-") || v.startsWith("+") ? v.substring(1) : v;
        if (d.equals(".inf")) {
            return sign * Double.POSITIVE_INFINITY;
        }
        if (d.equals(".nan")) {
            return Double.NaN;
        }
        if (d.contains(":")) {
            double n = 0;
            for (String digit : d.split(":", -1)) {
                n = n * 60 + Double.parseDouble(digit);
            }
            return sign * n;
        }
        return sign * Double.parseDouble(d);
    }

    /** Python's {@code str()} of a loaded value. */
    static String str(Object v) {
        return switch (v) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Double d -> floatRepr(d);
            case List<?> l -> l.stream().map(PyYaml::repr).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
            case Map<?, ?> m ->
                m.entrySet().stream()
                        .map(e -> repr(e.getKey()) + ": " + repr(e.getValue()))
                        .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
            default -> v.toString();
        };
    }

    private static String repr(Object v) {
        return v instanceof String s ? "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'" : str(v);
    }

    /** Python's {@code repr(float)}: the shortest digits that round-trip, in Python's layout. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String sign = (d < 0 || (d == 0 && 1 / d < 0)) ? "-" : "";
        if (d == 0) {
            return sign + "0.0";
        }
        // Double.toString gives the shortest round-tripping digits (JDK 19+), as Python's repr does.
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int decpt = digits.length() - bd.scale(); // value = 0.DIGITS x 10^decpt
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                return sign + "0." + "0".repeat(-decpt) + digits;
            }
            if (decpt >= digits.length()) {
                return sign + digits + "0".repeat(decpt - digits.length()) + ".0";
            }
            return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
        }
        int exp = decpt - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
