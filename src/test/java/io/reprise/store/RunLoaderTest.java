package io.reprise.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Loading whole runs by id, as search-runs does for a page of up to 50,000 runs. */
@ParameterizedClass
@ValueSource(strings = {StoreBackends.SQLITE, StoreBackends.POSTGRES})
class RunLoaderTest extends StoreTestBase {

    @Test
    void loadsMoreRunsThanTheDatabaseCouldBindParametersInTheOrderGiven() {
        String exp = experiment("many");
        List<String> real = List.of(run(exp), run(exp), run(exp));
        // More ids than SQLite's 32,766 bound variables and PostgreSQL's 65,535 (MLflow allows
        // max_results 50,000); unknown ids are skipped.
        List<String> ids = new ArrayList<>(
                IntStream.range(0, 70_000).mapToObj(i -> "missing" + i).toList());
        ids.add(0, real.get(2));
        ids.add(35_000, real.get(0));
        ids.add(real.get(1));
        JdbcTrackingStore jdbc = (JdbcTrackingStore) store;
        List<Run> runs = jdbc.read(h -> RunLoader.load(h, jdbc.dialect(), ids));
        assertThat(runs).extracting(r -> r.info().runId()).containsExactly(real.get(2), real.get(0), real.get(1));
    }

    @Test
    void paramsAndTagsReadBackExactlyInByteOrderOfTheirKeys() {
        String id = run();
        List<String> awkward = List.of(
                "quote\"d",
                "back\\slash",
                "new\nline\ttab",
                "\u0001control",
                "✓ ünï",
                "emoji 😀",
                "[\"json\", 1]",
                "null",
                "1.5",
                "",
                " spaced ",
                "x".repeat(5000));
        // Keys that sort alike in every collation (PostgreSQL orders by the database's), values
        // and one key with characters JSON escapes.
        List<Param> params = new ArrayList<>();
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < awkward.size(); i++) {
            params.add(new Param("k%02d".formatted(i), awkward.get(i)));
            tags.add(new Tag("t-%02d".formatted(i), awkward.get(i)));
        }
        params.add(new Param("z\"\\\n😀", "last"));
        store.logBatch(id, List.of(), params, tags);
        Run run = store.getRun(id);
        assertThat(run.data().params()).containsExactlyElementsOf(params);
        assertThat(run.data().tags()).filteredOn(t -> t.key().startsWith("t-")).containsExactlyElementsOf(tags);
    }

    @Test
    void idsAreDataNeverSql() {
        String id = run();
        List<String> ids = List.of("a\"b", "back\\slash", "'); DROP TABLE runs; --", "✓", "", id);
        JdbcTrackingStore jdbc = (JdbcTrackingStore) store;
        List<Run> runs = jdbc.read(h -> RunLoader.load(h, jdbc.dialect(), ids));
        assertThat(runs).extracting(r -> r.info().runId()).containsExactly(id);
        assertThat(store.getRun(id).info().runId()).isEqualTo(id);
    }
}
