package io.reprise.store;

import io.reprise.model.Experiment;
import io.reprise.model.LifecycleStage;
import io.reprise.model.Metric;
import io.reprise.model.RunInfo;
import io.reprise.model.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Maps result rows to model records. */
final class Rows {
    private Rows() {}

    static final String RUN_COLUMNS =
            "r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time,"
                    + " r.artifact_uri, r.lifecycle_stage";

    static final String EXPERIMENT_COLUMNS =
            "e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, e.creation_time, e.last_update_time";

    static RunInfo runInfo(ResultSet rs) throws SQLException {
        long end = rs.getLong("end_time");
        Long endTime = rs.wasNull() ? null : end;
        return new RunInfo(
                rs.getString("run_uuid"),
                rs.getString("experiment_id"),
                rs.getString("name"),
                rs.getString("user_id"),
                RunStatus.valueOf(rs.getString("status")),
                rs.getLong("start_time"),
                endTime,
                rs.getString("artifact_uri"),
                LifecycleStage.fromWire(rs.getString("lifecycle_stage")));
    }

    static Experiment experiment(ResultSet rs) throws SQLException {
        return new Experiment(
                rs.getString("experiment_id"),
                rs.getString("name"),
                rs.getString("artifact_location"),
                LifecycleStage.fromWire(rs.getString("lifecycle_stage")),
                rs.getLong("creation_time"),
                rs.getLong("last_update_time"),
                List.of());
    }

    static Metric metric(ResultSet rs) throws SQLException {
        double value = rs.getInt("is_nan") == 1 ? Double.NaN : rs.getDouble("value");
        return new Metric(rs.getString("key"), value, rs.getLong("timestamp"), rs.getLong("step"));
    }
}
