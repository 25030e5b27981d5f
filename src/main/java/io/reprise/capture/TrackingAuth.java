package io.reprise.capture;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** The Authorization header the MLflow client sends: MLFLOW_TRACKING_TOKEN, or username/password. */
public final class TrackingAuth {
    private TrackingAuth() {}

    /** The header value, or null when the environment sets no credentials. */
    public static String header(Map<String, String> env) {
        String token = env.get("MLFLOW_TRACKING_TOKEN");
        if (token != null && !token.isEmpty()) {
            return "Bearer " + token;
        }
        String user = env.get("MLFLOW_TRACKING_USERNAME");
        String password = env.get("MLFLOW_TRACKING_PASSWORD");
        if (user != null && password != null) {
            String pair = user + ":" + password;
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }
}
