package io.reprise.web;

import io.reprise.model.Run;
import io.reprise.model.ViewType;
import io.reprise.store.RunCount;
import io.reprise.store.RunCountQuery;
import io.reprise.store.RunCountQuery.Group;
import io.reprise.store.RunQuery;
import io.reprise.store.TrackingStore;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Run counts of experiments, counted by the store in one grouped query (exact at any size). */
final class Counts {
    private final TrackingStore store;

    Counts(TrackingStore store) {
        this.store = store;
    }

    /** Each experiment's active runs by verdict; an experiment without runs is absent. */
    Map<String, Tally> byExperiment(List<String> experimentIds) {
        Map<String, Tally> out = new HashMap<>();
        if (experimentIds.isEmpty()) {
            return out;
        }
        List<RunCount> rows =
                store.countRuns(new RunCountQuery(experimentIds, 0, EnumSet.of(Group.EXPERIMENT, Group.COMPLIANCE)));
        for (RunCount c : rows) {
            out.computeIfAbsent(c.experimentId(), k -> new Tally()).add(c);
        }
        return out;
    }

    /** The newest run by start time, if any. */
    Run newest(String experimentId) {
        List<Run> runs = store.searchRuns(new RunQuery(
                        List.of(experimentId),
                        null,
                        ViewType.ACTIVE_ONLY,
                        1,
                        List.of("attributes.start_time DESC"),
                        null))
                .items();
        return runs.isEmpty() ? null : runs.get(0);
    }
}
