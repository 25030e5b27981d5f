package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackingAuthTest {
    @Test
    void tokenWinsThenBasicThenNothingAsTheMlflowClientDoes() {
        assertThat(TrackingAuth.header(Map.of("MLFLOW_TRACKING_TOKEN", "t", "MLFLOW_TRACKING_USERNAME", "u")))
                .isEqualTo("Bearer t");
        assertThat(TrackingAuth.header(Map.of("MLFLOW_TRACKING_USERNAME", "ana", "MLFLOW_TRACKING_PASSWORD", "pw")))
                .isEqualTo("Basic YW5hOnB3");
        assertThat(TrackingAuth.header(Map.of("MLFLOW_TRACKING_USERNAME", "ana")))
                .isNull();
        assertThat(TrackingAuth.header(Map.of("MLFLOW_TRACKING_TOKEN", ""))).isNull();
    }
}
