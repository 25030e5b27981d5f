package io.reprise.capture;

import io.reprise.capture.CaptureException.Kind;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An entry point's shell command with its parameters substituted, as MLflow's
 * {@code EntryPoint.compute_command} builds it: declared parameters take the given value or the
 * default, are checked against their type and shell-quoted into the template; parameters the entry
 * point does not declare are appended as {@code --key value}.
 *
 * @param entryPoint the entry point's name
 * @param template the command template
 * @param command the shell command to run with {@code bash -c}
 * @param parameters declared parameters with the values used (paths made absolute), unquoted
 * @param extra parameters the entry point does not declare, unquoted
 * @param logged the run params MLflow logs for it: values (and extra keys) shell-quoted, paths as given
 * @param warnings e.g. a parameter type MLflow does not know
 */
record ProjectCommand(
        String entryPoint,
        String template,
        String command,
        Map<String, String> parameters,
        Map<String, String> extra,
        Map<String, String> logged,
        List<String> warnings) {

    private static final String DIGITS = "[0-9](?:_?[0-9])*";
    // What Python's float() accepts, which is what "a number" means to an MLflow project.
    private static final Pattern FLOAT = Pattern.compile("\\s*[+-]?(?:(?:" + DIGITS + "(?:\\.(?:" + DIGITS + ")?)?|\\."
            + DIGITS + ")(?:[eE][+-]?" + DIGITS + ")?|(?i:inf|infinity|nan))\\s*");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*", Pattern.DOTALL);

    static ProjectCommand compute(MlProject.EntryPoint ep, Map<String, String> user, Path cwd) {
        List<String> missing = ep.parameters().values().stream()
                .filter(p -> !user.containsKey(p.name()) && p.defaultValue() == null)
                .map(p -> "'" + p.name() + "'")
                .toList();
        if (!missing.isEmpty()) {
            throw new CaptureException(
                    Kind.USAGE,
                    "no value given for missing parameters: " + String.join(", ", missing) + " of entry point '"
                            + ep.name() + "'",
                    "pass -P NAME=VALUE for each");
        }
        Map<String, String> used = new LinkedHashMap<>();
        Map<String, String> quoted = new LinkedHashMap<>();
        Map<String, String> logged = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (MlProject.Parameter p : ep.parameters().values()) {
            String value = user.containsKey(p.name()) ? user.get(p.name()) : p.defaultValue();
            String v = value(p, value, cwd, warnings);
            used.put(p.name(), v);
            quoted.put(p.name(), Shlex.quote(v));
            logged.put(p.name(), Shlex.quote(value));
        }
        Map<String, String> extra = new LinkedHashMap<>();
        user.forEach((k, v) -> {
            if (!ep.parameters().containsKey(k)) {
                extra.put(k, v);
                logged.put(Shlex.quote(k), Shlex.quote(v));
            }
        });
        String command = format(ep, quoted)
                + extra.entrySet().stream()
                        .map(e -> " --" + Shlex.quote(e.getKey()) + " " + Shlex.quote(e.getValue()))
                        .collect(Collectors.joining());
        return new ProjectCommand(ep.name(), ep.command(), command, used, extra, logged, warnings);
    }

    private static String value(MlProject.Parameter p, String value, Path cwd, List<String> warnings) {
        return switch (p.type()) {
            case "string" -> value;
            case "float" -> {
                if (!FLOAT.matcher(value).matches()) {
                    throw bad(p, value, "a number", "e.g. -P " + p.name() + "=0.5");
                }
                yield value;
            }
            case "uri" -> {
                if (!SCHEME.matcher(value).matches()) {
                    throw bad(p, value, "a URI", "e.g. -P " + p.name() + "=s3://bucket/key or file:///abs/path");
                }
                yield value;
            }
            case "path" -> path(p, value, cwd);
            default -> {
                warnings.add("parameter '" + p.name() + "' has type '" + p.type()
                        + "', which MLflow does not know; treated as string, as MLflow does");
                yield value;
            }
        };
    }

    /** A local path or file: URI, made absolute against the directory reprise was started in. */
    private static String path(MlProject.Parameter p, String value, Path cwd) {
        Path local;
        if (value.startsWith("file:///")) {
            local = Path.of(URI.create(value));
        } else if (SCHEME.matcher(value).matches()) {
            throw bad(
                    p, value, "a local path", "download " + value + " first; reprise run does not fetch remote files");
        } else {
            local = cwd.resolve(value).normalize();
        }
        if (!Files.exists(local)) {
            throw new CaptureException(
                    Kind.USAGE,
                    "parameter '" + p.name() + "' is the path " + value + ", but no such file or directory was found",
                    "paths are relative to the directory you run reprise in");
        }
        return local.toAbsolutePath().normalize().toString();
    }

    private static CaptureException bad(MlProject.Parameter p, String value, String what, String hint) {
        return new CaptureException(
                Kind.USAGE,
                "parameter '" + p.name() + "' is of type " + p.type() + " and needs " + what + ", got '" + value + "'",
                hint);
    }

    /** Python's {@code str.format(**params)} for plain {@code {name}} fields, with {@code {{ }}} escapes. */
    static String format(MlProject.EntryPoint ep, Map<String, String> params) {
        String t = ep.command();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '{' && i + 1 < t.length() && t.charAt(i + 1) == '{') {
                out.append('{');
                i++;
            } else if (c == '}' && i + 1 < t.length() && t.charAt(i + 1) == '}') {
                out.append('}');
                i++;
            } else if (c == '{') {
                int end = t.indexOf('}', i);
                if (end < 0) {
                    throw template(ep, "has a '{' without a '}'", "write {{ for a literal brace");
                }
                String field = t.substring(i + 1, end);
                String value = params.get(field);
                if (value == null) {
                    throw template(
                            ep,
                            "uses {" + field + "}, which is not one of its parameters",
                            ep.parameters().isEmpty()
                                    ? "declare it under parameters:"
                                    : "parameters: "
                                            + String.join(", ", ep.parameters().keySet()));
                }
                out.append(value);
                i = end;
            } else if (c == '}') {
                throw template(ep, "has a '}' without a '{'", "write }} for a literal brace");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static CaptureException template(MlProject.EntryPoint ep, String why, String hint) {
        return new CaptureException(Kind.USAGE, "the command of entry point '" + ep.name() + "' " + why, hint);
    }
}
