package io.reprise.policy;

import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.RunStatus;
import io.reprise.model.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** What the requirements look at: a stored run, or a run being created (tags only). */
record RunView(
        RunStatus status,
        Map<String, String> tags,
        Map<String, String> params,
        boolean anyMetric,
        Supplier<Optional<List<String>>> artifacts) {

    static RunView creating(List<Tag> tags) {
        return new RunView(RunStatus.RUNNING, tagMap(tags), Map.of(), false, Optional::empty);
    }

    /** {@code status} is the run's status as it will be (an update may be changing it). */
    static RunView of(Run run, RunStatus status, ArtifactFiles files) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Param p : run.data().params()) {
            params.put(p.key(), p.value());
        }
        return new RunView(
                status,
                tagMap(run.data().tags()),
                params,
                !run.data().metrics().isEmpty(),
                () -> files.list(run.info()));
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Tag t : tags) {
            m.put(t.key(), t.value()); // a later tag of the same key wins, as in the store
        }
        return m;
    }
}
