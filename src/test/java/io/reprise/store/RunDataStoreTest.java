package io.reprise.store;

import static io.reprise.model.ErrorCode.INVALID_PARAMETER_VALUE;
import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.model.Dataset;
import io.reprise.model.DatasetInput;
import io.reprise.model.Metric;
import io.reprise.model.Page;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Params, metrics, tags and inputs of runs in the {@link TrackingStore} contract. */
@ParameterizedClass
@ValueSource(strings = {StoreBackends.SQLITE, StoreBackends.POSTGRES})
class RunDataStoreTest extends StoreTestBase {

    private void log(String runId, Metric... metrics) {
        store.logBatch(runId, List.of(metrics), List.of(), List.of());
    }

    private void logParams(String runId, Param... params) {
        store.logBatch(runId, List.of(), List.of(params), List.of());
    }

    private List<Metric> history(String runId, String key) {
        Page<Metric> page = store.getMetricHistory(runId, key, null, null);
        assertThat(page.nextPageToken()).isNull();
        return page.items();
    }

    private Metric latest(String runId, String key) {
        return store.getRun(runId).data().metrics().stream()
                .filter(m -> m.key().equals(key))
                .findFirst()
                .orElseThrow();
    }

    // ---- params

    @Test
    void valuesAsLongAsMlflowAllowsAreStoredWhole() {
        // MLflow's limits: param values 6000, tag values 8000 characters; random text defeats compression
        String paramValue = randomText(6000);
        String tagValue = randomText(8000);
        String id = run();
        store.logBatch(id, List.of(), List.of(new Param("long", paramValue)), List.of(new Tag("long", tagValue)));
        Run run = store.getRun(id);
        assertThat(run.data().params()).contains(new Param("long", paramValue));
        assertThat(run.data().tags()).contains(new Tag("long", tagValue));
    }

    @Test
    void createTagSetsAKeyOnceAndOnlyOnceUnderConcurrency() throws Exception {
        String id = run();
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("taken", "first")));
        assertThat(store.createTag(id, new Tag("taken", "second"))).isFalse();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> claims = IntStream.range(0, 8)
                    .mapToObj(i -> pool.submit(() -> store.createTag(id, new Tag("claim", "writer" + i))))
                    .toList();
            int won = 0;
            for (java.util.concurrent.Future<Boolean> c : claims) {
                won += c.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(store.getRun(id).data().tags())
                .contains(new Tag("taken", "first"))
                .filteredOn(t -> t.key().equals("claim"))
                .hasSize(1);
    }

    private static String randomText(int length) {
        java.util.Random random = new java.util.Random(length);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('!' + random.nextInt(90)));
        }
        return sb.toString();
    }

    @Test
    void paramsAreImmutableButRelogingTheSameValueIsFine() {
        String id = run();
        logParams(id, new Param("lr", "0.1"), new Param("empty", ""));
        logParams(id, new Param("lr", "0.1"));
        logParams(id, new Param("lr", "0.1"), new Param("new", "x"));
        assertThat(store.getRun(id).data().params())
                .containsExactly(new Param("empty", ""), new Param("lr", "0.1"), new Param("new", "x"));
        assertFails(
                () -> logParams(id, new Param("lr", "0.2")),
                INVALID_PARAMETER_VALUE,
                "Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for"
                        + " run ID='" + id + "'. Attempted logging new value '0.2'.");
    }

    @Test
    void aParamConflictRejectsTheWholeBatch() {
        String id = run();
        logParams(id, new Param("a", "1"), new Param("b", "2"));
        assertFails(
                () -> store.logBatch(
                        id,
                        List.of(new Metric("m", 1.0, 10, 0)),
                        List.of(new Param("fresh", "x"), new Param("a", "9"), new Param("b", "2"), new Param("b2", "")),
                        List.of(new Tag("t", "v"), new Tag("mlflow.runName", "renamed"))),
                INVALID_PARAMETER_VALUE,
                "Changing param values is not allowed. Params were already logged="
                        + "'[{'key': 'a', 'old_value': '1', 'new_value': '9'}]' for run ID='" + id + "'.");
        Run run = store.getRun(id);
        assertThat(run.data().params()).containsExactly(new Param("a", "1"), new Param("b", "2"));
        assertThat(run.data().metrics()).isEmpty();
        assertThat(history(id, "m")).isEmpty();
        assertThat(run.data().tags()).extracting(Tag::key).containsExactly("mlflow.runName");
        assertThat(run.info().runName()).startsWith("run-");
    }

    @Test
    void paramKeysAreCaseSensitive() {
        String id = run();
        logParams(id, new Param("a", "lower"), new Param("A", "upper"));
        assertThat(store.getRun(id).data().params()).containsExactly(new Param("A", "upper"), new Param("a", "lower"));
    }

    @Test
    void theLongestValuesMlflowAllowsRoundTrip() {
        // MLflow's limits: 6,000 characters for a param value, 8,000 for a tag value.
        String id = run();
        Param param = new Param("long", incompressible(6000));
        Tag tag = new Tag("long", incompressible(8000));
        store.logBatch(id, List.of(), List.of(param), List.of(tag));
        logParams(id, param);
        Run run = store.getRun(id);
        assertThat(run.data().params()).containsExactly(param);
        assertThat(run.data().tags()).contains(tag);
    }

    @Test
    void aLargeBatchIsStoredWhole() {
        String id = run();
        List<Metric> metrics = IntStream.range(0, 1000)
                .mapToObj(i -> new Metric("m" + (i % 10), i, 1000 + i, i / 10))
                .toList();
        List<Param> params = IntStream.range(0, 100)
                .mapToObj(i -> new Param("p" + i, "v" + i))
                .toList();
        List<Tag> tags =
                IntStream.range(0, 100).mapToObj(i -> new Tag("t" + i, "v" + i)).toList();
        store.logBatch(id, metrics, params, tags);
        Run run = store.getRun(id);
        assertThat(run.data().params()).hasSize(100);
        assertThat(run.data().tags()).hasSize(101);
        assertThat(run.data().metrics()).hasSize(10).contains(new Metric("m9", 999, 1999, 99));
        assertThat(history(id, "m3")).hasSize(100);
    }

    @Test
    void pointsAcrossMultiRowStatementsCollapseAndKeepNanAndInfinities() {
        // 2.5 statements' worth of rows: duplicates inside one statement, across two, and between
        // a full statement and the rows after it; NaN and the infinities among them.
        int rows = RunWriter.ROWS_PER_INSERT * 2 + RunWriter.ROWS_PER_INSERT / 2;
        List<Metric> batch = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double value = i % 7 == 0 ? Double.NaN : i % 11 == 0 ? Double.POSITIVE_INFINITY : i % 13 == 0 ? -i : i;
            batch.add(new Metric("k" + (i % 3), value, 1000 + i / 2, i / 2));
        }
        batch.set(1, batch.get(0)); // within the first statement
        batch.set(RunWriter.ROWS_PER_INSERT + 5, batch.get(10)); // second statement repeats the first's
        batch.set(rows - 1, batch.get(RunWriter.ROWS_PER_INSERT * 2 - 1)); // the rest repeats a full statement's
        batch.set(rows - 2, new Metric("inf", Double.NEGATIVE_INFINITY, 5, 5));
        String id = run();
        store.logBatch(id, batch, List.of(), List.of());
        store.logBatch(id, batch.subList(0, 7), List.of(), List.of()); // all seen before: nothing new

        for (String key : List.of("k0", "k1", "k2", "inf")) {
            List<Metric> expected = batch.stream()
                    .filter(m -> m.key().equals(key))
                    .distinct() // records: NaN equals NaN, as the stored points collapse
                    .toList();
            assertThat(history(id, key)).as(key).containsExactlyInAnyOrderElementsOf(expected);
            Metric want = expected.stream()
                    .reduce((a, b) -> RunWriter.isLater(b, a) ? b : a)
                    .orElseThrow();
            assertThat(latest(id, key)).as(key).isEqualTo(want);
        }
        assertThat(latest(id, "inf").value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    // ---- metric history

    @Test
    void historyKeepsEveryDistinctPointOnceInTimestampStepValueOrder() {
        String id = run();
        log(id, new Metric("loss", 3, 300, 2), new Metric("loss", 1, 100, 0), new Metric("loss", 1, 100, 0));
        log(id, new Metric("loss", 1, 100, 0), new Metric("loss", 2, 200, -5), new Metric("loss", 0.5, 200, -5));
        log(id, new Metric("loss", 2, 100, 0), new Metric("other", 7, 1, 1));
        assertThat(history(id, "loss"))
                .containsExactly(
                        new Metric("loss", 1, 100, 0),
                        new Metric("loss", 2, 100, 0),
                        new Metric("loss", 0.5, 200, -5),
                        new Metric("loss", 2, 200, -5),
                        new Metric("loss", 3, 300, 2));
        assertThat(history(id, "missing")).isEmpty();
    }

    @Test
    void historyPagesWithTokens() {
        String id = run();
        log(
                id,
                IntStream.range(0, 5)
                        .mapToObj(i -> new Metric("m", i, 100 + i, i))
                        .toArray(Metric[]::new));
        List<Metric> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String token = null;
        do {
            Page<Metric> page = store.getMetricHistory(id, "m", 2, token);
            seen.addAll(page.items());
            sizes.add(page.items().size());
            token = page.nextPageToken();
        } while (token != null);
        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(seen).isEqualTo(history(id, "m"));
        assertThat(store.getMetricHistory(id, "m", 5, null).nextPageToken()).isNull();
        assertThat(store.getMetricHistory(id, "m", null, PageToken.encodeOffset(3))
                        .items())
                .extracting(Metric::step)
                .containsExactly(3L, 4L);
        assertFails(
                () -> store.getMetricHistory(id, "m", 2, "not a token!"),
                INVALID_PARAMETER_VALUE,
                "Invalid page token, could not base64-decode. Error: Illegal base64 character 20");
    }

    // ---- latest metric

    @Test
    void latestMetricIsTheGreatestStepThenTimestampThenValue() {
        String id = run();
        log(id, new Metric("m", 5, 100, 1));
        log(id, new Metric("m", 1, 50, 2));
        assertThat(latest(id, "m")).isEqualTo(new Metric("m", 1, 50, 2));
        log(id, new Metric("m", 9, 999, 1));
        assertThat(latest(id, "m")).isEqualTo(new Metric("m", 1, 50, 2));
        log(id, new Metric("m", 0.5, 60, 2));
        assertThat(latest(id, "m")).isEqualTo(new Metric("m", 0.5, 60, 2));
        log(id, new Metric("m", 0.7, 60, 2), new Metric("m", 0.6, 60, 2));
        assertThat(latest(id, "m")).isEqualTo(new Metric("m", 0.7, 60, 2));
        log(id, new Metric("m", -1, 60, 2));
        assertThat(latest(id, "m")).isEqualTo(new Metric("m", 0.7, 60, 2));
    }

    @Test
    void withinOneBatchTheSameRuleChoosesTheLatest() {
        String id = run();
        log(
                id,
                new Metric("m", 3, 70, 4),
                new Metric("m", 1, 90, 4),
                new Metric("m", 8, 80, 3),
                new Metric("m", 2, 90, 4));
        assertThat(latest(id, "m")).isEqualTo(new Metric("m", 2, 90, 4));
    }

    @Test
    void nanIsStoredAndComparesAsZeroLikeMlflow() {
        String id = run();
        log(id, new Metric("nan", Double.NaN, 10, 0));
        assertThat(history(id, "nan")).containsExactly(new Metric("nan", Double.NaN, 10, 0));
        assertThat(latest(id, "nan").value()).isNaN();
        // MLflow stores NaN as 0 (with is_nan) and compares that 0, so a positive value wins the tie...
        log(id, new Metric("nan", 3, 10, 0));
        assertThat(latest(id, "nan")).isEqualTo(new Metric("nan", 3, 10, 0));
        // ...also inside one batch, whatever the order.
        log(id, new Metric("both", 3, 10, 0), new Metric("both", Double.NaN, 10, 0));
        assertThat(latest(id, "both")).isEqualTo(new Metric("both", 3, 10, 0));
        // A NaN and a 0 at the same point are different points.
        log(
                id,
                new Metric("zero", 0, 10, 0),
                new Metric("zero", Double.NaN, 10, 0),
                new Metric("zero", Double.NaN, 10, 0));
        assertThat(history(id, "zero")).hasSize(2).contains(new Metric("zero", Double.NaN, 10, 0));
    }

    @Test
    void extremeValuesRoundTrip() {
        String id = run();
        log(
                id,
                new Metric("big", Double.MAX_VALUE, 1, 0),
                new Metric("small", -Double.MAX_VALUE, 1, 0),
                new Metric("tiny", Double.MIN_VALUE, 1, 0),
                new Metric("steps", 1, Long.MAX_VALUE, Long.MIN_VALUE));
        assertThat(store.getRun(id).data().metrics())
                .containsExactly(
                        new Metric("big", Double.MAX_VALUE, 1, 0),
                        new Metric("small", -Double.MAX_VALUE, 1, 0),
                        new Metric("steps", 1, Long.MAX_VALUE, Long.MIN_VALUE),
                        new Metric("tiny", Double.MIN_VALUE, 1, 0));
    }

    // ---- inputs

    @Test
    void inputsAreStoredOncePerDatasetAndKeepTheirTags() {
        String exp = experiment("inputs");
        String id = run(exp);
        Dataset train = new Dataset("train", "d1", "local", "{\"uri\": \"/t\"}", "{\"cols\": 3}", "{\"rows\": 9}");
        Dataset eval = new Dataset("eval", "d2", "s3", "{\"uri\": \"s3://e\"}", null, null);
        DatasetInput trainInput = new DatasetInput(train, List.of(new Tag("mlflow.data.context", "training")));
        store.logInputs(id, List.of(trainInput, new DatasetInput(train, List.of(new Tag("mlflow.data.context", "x")))));
        store.logInputs(id, List.of(trainInput, new DatasetInput(eval, List.of())));
        assertThat(store.getRun(id).inputs()).containsExactly(new DatasetInput(eval, List.of()), trainInput);

        String other = run(exp);
        store.logInputs(other, List.of(new DatasetInput(train, List.of(new Tag("mlflow.data.context", "eval")))));
        assertThat(store.getRun(other).inputs())
                .containsExactly(new DatasetInput(train, List.of(new Tag("mlflow.data.context", "eval"))));
        assertThat(store.getRun(id).inputs()).hasSize(2);
    }

    @Test
    void aNewDigestIsANewDataset() {
        String id = run();
        store.logInputs(id, List.of(new DatasetInput(RunStoreTest.dataset("d"), List.of())));
        Dataset changed = new Dataset("d", "other-digest", "local", "{}", null, null);
        store.logInputs(id, List.of(new DatasetInput(changed, List.of())));
        assertThat(store.getRun(id).inputs())
                .extracting(i -> i.dataset().digest())
                .containsExactly("digest-d", "other-digest");
    }
}
