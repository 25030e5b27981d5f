package io.reprise.search;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** Python's {@code repr()} of the few value types MLflow interpolates into its error messages. */
final class PyRepr {
    private PyRepr() {}

    /** {@code repr(str)}: single quotes unless the text has a single quote and no double quote. */
    static String str(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        s.codePoints().forEach(cp -> out.append(escaped(cp, quote)));
        return out.append(quote).toString();
    }

    private static String escaped(int cp, char quote) {
        return switch (cp) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> {
                if (cp == quote) {
                    yield "\\" + quote;
                } else if (isPrintable(cp)) {
                    yield Character.toString(cp);
                } else if (cp < 0x100) {
                    yield String.format("\\x%02x", cp);
                } else if (cp < 0x10000) {
                    yield String.format("\\u%04x", cp);
                }
                yield String.format("\\U%08x", cp);
            }
        };
    }

    // Python's str.isprintable(): everything but control, format, separator (except the ASCII
    // space), surrogate, private-use and unassigned code points.
    private static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** {@code repr(float)}: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
    static String floating(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        // Double.toString gives the shortest digits that round-trip, as Python's repr does.
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = exact.precision() - exact.scale() - 1;
        if (exponent < -4 || exponent >= 16) {
            return scientific(exact, exponent);
        }
        String plain = exact.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    private static String scientific(BigDecimal value, int exponent) {
        String digits = value.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = value.signum() < 0 ? "-" : "";
        String exp = String.format("%s%02d", exponent < 0 ? "-" : "+", Math.abs(exponent));
        return sign + mantissa + "e" + exp;
    }

    /** {@code repr(list_of_str)}. */
    static String strList(List<String> values) {
        return values.stream().map(PyRepr::str).collect(Collectors.joining(", ", "[", "]"));
    }

    /** {@code repr(tuple_of_str)}. */
    static String strTuple(Collection<String> values) {
        return tuple(values.stream().map(PyRepr::str).toList());
    }

    /** A tuple of already-rendered items: {@code (a,)} for one item. */
    static String tuple(List<String> renderedItems) {
        if (renderedItems.size() == 1) {
            return "(" + renderedItems.getFirst() + ",)";
        }
        return renderedItems.stream().collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * {@code repr(set_of_str)}. Python orders a set by string hashes, which change from process to
     * process, so MLflow's own messages vary; we keep the order we are given.
     */
    static String strSet(Collection<String> values) {
        return values.stream().map(PyRepr::str).collect(Collectors.joining(", ", "{", "}"));
    }
}
