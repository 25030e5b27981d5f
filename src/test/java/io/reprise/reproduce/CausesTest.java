package io.reprise.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ranking of probable causes, on pairs of manifests as reprise run writes them. */
class CausesTest {
    private static final String BASE = """
            {"schema_version": 2,
             "command": {"argv": ["python", "train.py"], "workdir_in_repo": ".", "seed": 7},
             "git": {"commit": "abc", "dirty": false, "untracked": []},
             "python": {"version": "3.11.7", "implementation": "cpython",
                        "packages": ["numpy==2.4.6", "mlflow==3.17.2", "scipy==1.14.0"]},
             "system": {"os": "Debian GNU/Linux 12 (bookworm)", "kernel": "6.1.0", "arch": "amd64",
                        "cpu_model": "AMD EPYC 7B13", "cores": 2, "gpus": []},
             "environment": {"PYTHONHASHSEED": "7", "REPRISE_SEED": "7"},
             "dependencies": [{"path": "requirements.txt", "sha256": "e77e0000000000000000"}],
             "data": {"inputs": [{"path": "data/train.csv", "md5": "d186cbfc00000000000000000000aaaa"}]}}
            """;

    private static RunRecord record(String json) {
        return RunRecord.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static RunRecord with(String from, String to) {
        String changed = BASE.replace(from, to);
        assertThat(changed).as("the fixture contains " + from).isNotEqualTo(BASE);
        return record(changed);
    }

    @Test
    void identicalRecordsOfASeededRunGiveNoCause() {
        assertThat(Causes.rank(record(BASE), record(BASE), List.of())).isEmpty();
    }

    @Test
    void dataComesFirstThenPackagesThenTheInterpreterThenTheMachine() {
        RunRecord after = record(BASE.replace("d186cbfc00000000000000000000aaaa", "0f98cbd800000000000000000000bbbb")
                .replace("numpy==2.4.6", "numpy==2.5.0")
                .replace("\"3.11.7\"", "\"3.12.1\"")
                .replace("\"cores\": 2", "\"cores\": 8"));
        DataRestore.Mismatch remote = new DataRestore.Mismatch(
                "data/train.csv", "d186cbfc00000000000000000000aaaa", "0f98cbd800000000000000000000bbbb", "");

        List<String> causes = Causes.rank(record(BASE), after, List.of(remote));

        assertThat(causes)
                .containsExactly(
                        "data changed: data/train.csv: recorded md5 d186cbfc, the remote's copy has md5 0f98cbd8",
                        "data digest differs: data/train.csv d186cbfc -> 0f98cbd8",
                        "packages changed: numpy 2.4.6 -> 2.5.0",
                        "interpreter differs: Python 3.11.7 -> 3.12.1",
                        "machine differs: cores 2 -> 8",
                        "thread settings: OMP_NUM_THREADS was not set, and the core count changed (2 -> 8): numeric"
                                + " libraries pick their thread count, and reduction order, from it");
    }

    @Test
    void packagesAddedRemovedAndChangedAreNamed() {
        RunRecord after = with("\"mlflow==3.17.2\", \"scipy==1.14.0\"", "\"mlflow==3.18.0\", \"torch==2.9.0\"");
        assertThat(Causes.rank(record(BASE), after, List.of()))
                .containsExactly("packages changed: mlflow 3.17.2 -> 3.18.0, scipy removed (was 1.14.0),"
                        + " torch added (2.9.0)");
    }

    @Test
    void threadSettingsAndLockFilesThatChangedAreNamed() {
        RunRecord before = with("\"REPRISE_SEED\": \"7\"", "\"REPRISE_SEED\": \"7\", \"OMP_NUM_THREADS\": \"4\"");
        RunRecord after =
                record(BASE.replace("\"REPRISE_SEED\": \"7\"", "\"REPRISE_SEED\": \"7\", \"OMP_NUM_THREADS\": \"1\"")
                        .replace("e77e0000000000000000", "aaaa0000000000000000"));
        assertThat(Causes.rank(before, after, List.of()))
                .containsExactly(
                        "dependency file differs: requirements.txt sha256 e77e00000000 -> aaaa00000000",
                        "environment differs: OMP_NUM_THREADS 4 -> 1");
    }

    @Test
    void aRunWithoutSeedOrHashSeedSaysSo() {
        RunRecord unseeded = record(
                BASE.replace(", \"seed\": 7", "").replace("\"PYTHONHASHSEED\": \"7\", \"REPRISE_SEED\": \"7\"", ""));
        assertThat(Causes.rank(unseeded, unseeded, List.of()))
                .containsExactly(
                        "no seed recorded: the original ran without --seed, so any unseeded randomness differs between"
                                + " runs (record one with 'reprise run --seed N')",
                        "PYTHONHASHSEED unset: set and dict iteration orders of strings change from run to run"
                                + " (reprise run --seed N sets it)");
    }

    @Test
    void aDirtyTreeAndUnsavedUntrackedFilesComeLast() {
        RunRecord dirty = with(
                "\"dirty\": false, \"untracked\": []",
                "\"dirty\": true, \"changed_files\": [\"train.py\"],"
                        + " \"untracked\": [{\"path\": \"big.bin\", \"size\": 9000000, \"saved\": false}]");
        RunRecord after = with("numpy==2.4.6", "numpy==2.5.0");
        assertThat(Causes.rank(dirty, after, List.of()))
                .containsExactly(
                        "packages changed: numpy 2.4.6 -> 2.5.0",
                        "the original ran on a dirty tree: its uncommitted diff was re-applied (train.py)",
                        "untracked files of the original were not saved and are missing: big.bin");
    }

    @Test
    void withoutAReproductionRecordOnlyTheOriginalIsJudged() {
        RunRecord unseeded =
                record(BASE.replace(", \"seed\": 7", "").replace("\"REPRISE_SEED\": \"7\"", "\"X\": \"1\""));
        assertThat(Causes.rank(unseeded, null, List.of()))
                .singleElement()
                .asString()
                .startsWith("no seed recorded");
    }

    @Test
    void tolerancesAreRelativeToTheOriginalOrAbsolute() {
        assertThat(Tolerance.parse("rel:1e-6").accepts(1.0, 1.0000009)).isTrue();
        assertThat(Tolerance.parse("rel:1e-6").accepts(1.0, 1.000002)).isFalse();
        assertThat(Tolerance.parse("abs:0.01").accepts(0.89, 0.899)).isTrue();
        assertThat(Tolerance.parse("abs:0.01").accepts(0.89, 0.91)).isFalse();
        assertThat(Tolerance.EXACT.accepts(Double.NaN, Double.NaN)).isTrue();
        assertThat(Tolerance.EXACT.accepts(0.1 + 0.2, 0.3)).isFalse();
        assertThat(Comparison.number(0.89)).isEqualTo("0.89");
        assertThat(Comparison.number(1e-5)).isEqualTo("1e-05");
        assertThat(Comparison.number(3.0)).isEqualTo("3.0");
    }
}
