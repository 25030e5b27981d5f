package io.reprise.store;

import io.reprise.model.MlflowException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MLflow's page tokens: base64 of {@code {"offset": N}}, opaque to clients. */
public final class PageToken {
    private static final Pattern OFFSET = Pattern.compile("\\{\\s*\"offset\"\\s*:\\s*(\\d+)\\s*}");

    private PageToken() {}

    public static String encodeOffset(int offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The offset in a token; 0 for a null or empty token. */
    public static int decodeOffset(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        String json;
        try {
            json = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid("Invalid page token, could not base64-decode. Error: %s", e.getMessage());
        }
        Matcher m = OFFSET.matcher(json.trim());
        if (!m.matches()) {
            throw MlflowException.invalid("Invalid page token, decoded value=%s", json);
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            throw MlflowException.invalid("Invalid page token, offset out of range: %s", m.group(1));
        }
    }
}
