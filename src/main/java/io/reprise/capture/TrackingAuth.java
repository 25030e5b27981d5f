package io.reprise.capture;

import io.reprise.client.MlflowHttp;
import java.util.Map;

/** The Authorization header the MLflow client sends (kept for callers outside the clients; see {@link MlflowHttp}). */
public final class TrackingAuth {
    private TrackingAuth() {}

    /** The header value, or null when the environment sets no credentials. */
    public static String header(Map<String, String> env) {
        return MlflowHttp.authorization(env);
    }
}
