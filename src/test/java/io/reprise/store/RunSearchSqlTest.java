package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.search.Clause;
import io.reprise.search.RunSearch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order in which a metric-ordered search probes its filter clauses. */
class RunSearchSqlTest {
    @Test
    void equalityTestsAreProbedFirstAndTheRestKeepTheirOrder() {
        List<Clause> clauses = RunSearch.parse(
                        "metrics.m1 > 0.5 and params.p1 = 'v3' and tags.t LIKE 'a%' and attributes.run_id IN ('x', 'y')",
                        List.of())
                .filter();
        assertThat(RunSearchSql.probeOrder(clauses)).extracting(Clause::key).containsExactly("p1", "run_id", "m1", "t");
    }
}
