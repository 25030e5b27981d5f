package io.reprise.web;

import io.reprise.model.Page;
import io.reprise.model.Run;
import io.reprise.model.ViewType;
import io.reprise.store.RunQuery;
import io.reprise.store.TrackingStore;
import java.util.List;

/**
 * Run counts through the store's paged search, capped: the store has no count query yet, and
 * loading every run of a 100k-run experiment to count it would make the page slow. Counts past
 * the cap are shown as "cap+".
 */
final class Counts {
    static final int CAP = 500;
    static final String COMPLIANT = "tags.\"reprise.compliance\" = 'compliant'";
    static final String JUDGED = "tags.\"reprise.compliance\" != ''";

    private final TrackingStore store;

    Counts(TrackingStore store) {
        this.store = store;
    }

    /** How many active runs of the experiment match the filter (null: all), up to {@link #CAP}. */
    Count count(String experimentId, String filter) {
        Page<Run> page = store.searchRuns(
                new RunQuery(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, CAP, List.of(), null));
        return new Count(page.items().size(), page.nextPageToken() != null);
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

    record Count(int n, boolean more) {
        @Override
        public String toString() {
            return more ? n + "+" : Integer.toString(n);
        }
    }
}
