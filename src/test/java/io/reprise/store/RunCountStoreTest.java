package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.model.Tag;
import io.reprise.store.RunCountQuery.Group;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TrackingStore#countRuns}: grouped counts of active runs, on both backends. */
@ParameterizedClass
@ValueSource(strings = {StoreBackends.SQLITE, StoreBackends.POSTGRES})
class RunCountStoreTest extends StoreTestBase {
    // Monday 2026-11-16 and the Sunday before it, one minute before midnight
    static final long MONDAY =
            LocalDate.of(2026, 11, 16).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    static final long SUNDAY_LATE = MONDAY - 60_000;
    static final long WEEK = 7L * 24 * 3600 * 1000;

    String a;
    String b;

    private String run(String exp, String user, long start, String compliance, String verdict) {
        List<Tag> tags = new ArrayList<>();
        if (compliance != null) {
            tags.add(new Tag("reprise.compliance", compliance));
        }
        if (verdict != null) {
            tags.add(new Tag("reprise.reproduction.verdict", verdict));
        }
        String id = store.createRun(new NewRun(exp, user, "r", start, List.of()))
                .info()
                .runId();
        store.logBatch(id, List.of(), List.of(), tags);
        return id;
    }

    private void fill() {
        a = experiment("a");
        b = experiment("b");
        run(a, "alice", MONDAY + 1000, "compliant", "REPRODUCED");
        run(a, "alice", MONDAY + 2000, "compliant", null);
        run(a, "bob", SUNDAY_LATE, "non-compliant", "DIVERGED");
        run(a, "bob", MONDAY + 3000, null, null);
        run(b, "alice", MONDAY + WEEK, "non-compliant", null);
        store.deleteRun(run(b, "carol", MONDAY, "non-compliant", null)); // deleted runs are not counted
    }

    private List<RunCount> count(List<String> experiments, long since, Set<Group> groups) {
        return store.countRuns(new RunCountQuery(experiments, since, groups));
    }

    @Test
    void totalPerExperimentAndOverall() {
        fill();
        assertThat(count(List.of(), 0, Set.of())).containsExactly(new RunCount(null, 0, null, null, null, 5));
        assertThat(count(List.of(a, b), 0, Set.of(Group.EXPERIMENT)))
                .containsExactlyInAnyOrder(
                        new RunCount(a, 0, null, null, null, 4), new RunCount(b, 0, null, null, null, 1));
        assertThat(count(List.of(b), 0, Set.of())).containsExactly(new RunCount(null, 0, null, null, null, 1));
        assertThat(count(List.of("not-a-number"), 0, Set.of()))
                .containsExactly(new RunCount(null, 0, null, null, null, 0));
    }

    @Test
    void byVerdictsWithAbsentTagsAsEmpty() {
        fill();
        assertThat(count(List.of(a), 0, EnumSet.of(Group.COMPLIANCE, Group.REPRODUCTION)))
                .containsExactlyInAnyOrder(
                        new RunCount(null, 0, null, "compliant", "REPRODUCED", 1),
                        new RunCount(null, 0, null, "compliant", "", 1),
                        new RunCount(null, 0, null, "non-compliant", "DIVERGED", 1),
                        new RunCount(null, 0, null, "", "", 1));
    }

    @Test
    void byWeekStartingMondayUtcAndSince() {
        fill();
        assertThat(count(List.of(), 0, EnumSet.of(Group.WEEK)))
                .containsExactlyInAnyOrder(
                        new RunCount(null, MONDAY - WEEK, null, null, null, 1),
                        new RunCount(null, MONDAY, null, null, null, 3),
                        new RunCount(null, MONDAY + WEEK, null, null, null, 1));
        assertThat(count(List.of(), MONDAY, EnumSet.of(Group.EXPERIMENT, Group.USER)))
                .containsExactlyInAnyOrder(
                        new RunCount(a, 0, "alice", null, null, 2),
                        new RunCount(a, 0, "bob", null, null, 1),
                        new RunCount(b, 0, "alice", null, null, 1));
    }

    @Test
    void everyDimensionAtOnce() {
        fill();
        assertThat(count(List.of(a), 0, EnumSet.allOf(Group.class)))
                .contains(new RunCount(a, MONDAY - WEEK, "bob", "non-compliant", "DIVERGED", 1))
                .hasSize(4);
    }
}
