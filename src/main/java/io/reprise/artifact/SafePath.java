package io.reprise.artifact;

import io.reprise.model.MlflowException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Turns a client-supplied artifact path into a relative path that cannot leave its root. The checks
 * follow MLflow's {@code validate_path_is_safe} and the CVEs it answers: decode repeatedly (double
 * encoding), refuse {@code ..} segments, absolute and drive-letter paths, backslashes, {@code #}, NUL
 * and other control characters.
 */
public final class SafePath {
    private static final Pattern DRIVE = Pattern.compile("^[a-zA-Z]:.*");
    private static final int MAX_DECODE_ROUNDS = 10;

    private SafePath() {}

    /** The validated relative path ("" for the root); throws INVALID_PARAMETER_VALUE "Invalid path". */
    public static String relative(String raw) {
        if (raw == null) {
            return "";
        }
        String path = fullyDecoded(raw);
        if (path.startsWith("/") || DRIVE.matcher(path).matches() || path.contains("\\") || path.contains("#")) {
            throw invalid();
        }
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) {
                throw invalid();
            }
        }
        StringBuilder clean = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
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

    private static String fullyDecoded(String raw) {
        String current = raw;
        for (int i = 0; i < MAX_DECODE_ROUNDS; i++) {
            String decoded;
            try {
                decoded = URLDecoder.decode(current.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalid();
            }
            if (decoded.equals(current)) {
                return decoded;
            }
            current = decoded;
        }
        throw invalid();
    }

    static MlflowException invalid() {
        return MlflowException.invalid("Invalid path");
    }
}
