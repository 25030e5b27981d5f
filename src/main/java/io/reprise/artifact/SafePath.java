package io.reprise.artifact;

import io.reprise.model.MlflowException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Turns a client-supplied artifact path into a relative path that cannot leave its root. The checks
 * follow MLflow's {@code validate_path_is_safe} and the CVEs it answers: decode repeatedly (double
 * encoding, CVE-2023-6730 / CVE-2024-1560), refuse {@code ..} segments including {@code ..;params}
 * (CVE-2024-1593), absolute and drive-letter paths and file: URIs, backslashes (CVE-2023-2780), {@code #}, NUL and
 * other control characters, and bytes that are not UTF-8.
 */
public final class SafePath {
    // a drive letter (C:x, C:/x) or a file: URI, which MLflow turns into a local, absolute path
    private static final Pattern DRIVE_OR_FILE_URI = Pattern.compile("^([a-zA-Z]|[fF][iI][lL][eE]):.*", Pattern.DOTALL);
    // IIS-style "%u002e": not an escape to us or MLflow, but a classic way to smuggle dots past a check
    private static final Pattern UTF16_ESCAPE = Pattern.compile("%[uU][0-9a-fA-F]{4}");
    private static final int MAX_DECODE_ROUNDS = 10;

    private SafePath() {}

    /** The validated relative path ("" for the root); throws INVALID_PARAMETER_VALUE "Invalid path". */
    public static String relative(String raw) {
        if (raw == null) {
            return "";
        }
        String path = fullyDecoded(raw);
        if (path.startsWith("/")
                || DRIVE_OR_FILE_URI.matcher(path).matches()
                || UTF16_ESCAPE.matcher(path).find()
                || hasForbiddenChar(path)) {
            throw invalid();
        }
        StringBuilder clean = new StringBuilder();
        for (String segment : path.split("/")) {
            if (isDotSegment(segment)) {
                throw invalid();
            }
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (!clean.isEmpty()) {
                clean.append('/');
            }
            clean.append(segment);
        }
        return clean.toString();
    }

    /** Resolves a validated relative path under {@code root}, re-checking the result stays inside. */
    public static Path resolve(Path root, String raw) {
        String rel = relative(raw);
        Path resolved = root.resolve(rel).normalize();
        if (!resolved.startsWith(root.normalize())) {
            throw invalid();
        }
        return resolved;
    }

    // U+FFFD is what undecodable bytes turn into: refuse rather than store a mangled name.
    private static boolean hasForbiddenChar(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isISOControl(c) || c == '\\' || c == '#' || c == '\uFFFD') {
                return true;
            }
        }
        return false;
    }

    // "." is harmless on its own but servers that strip ";params" turn "..;x" into "..": refuse
    // every dot segment, with or without parameters, so no layer can read one as a parent step.
    private static boolean isDotSegment(String segment) {
        int semicolon = segment.indexOf(';');
        String bare = semicolon < 0 ? segment : segment.substring(0, semicolon);
        return bare.equals("..") || (bare.equals(".") && semicolon >= 0);
    }

    private static String fullyDecoded(String raw) {
        String current = raw;
        for (int i = 0; i < MAX_DECODE_ROUNDS; i++) {
            String decoded = percentDecoded(current);
            if (decoded.equals(current)) {
                return decoded;
            }
            current = decoded;
        }
        throw invalid();
    }

    /**
     * Decodes {@code %XX} escapes like Python's {@code urllib.parse.unquote}: a {@code %} not followed
     * by two hex digits stays as it is, and {@code +} is not a space (so "100%.txt" and "a+b" are
     * names, as in MLflow).
     */
    static String percentDecoded(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int hi = i + 2 < s.length() && c == '%' ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (lo >= 0) {
                bytes.write(hi * 16 + lo);
                i += 2;
                continue;
            }
            flush(bytes, out);
            out.append(c);
        }
        flush(bytes, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    static MlflowException invalid() {
        return MlflowException.invalid("Invalid path");
    }
}
