package io.reprise.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDbTest {
    @TempDir
    Path tmp;

    private static long nowNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Test
    void remembersHashesAcrossRunsByFileKeyMtimeAndSize() {
        long old = nowNs() - 60_000_000_000L + 123;
        StateDb.Key key = new StateDb.Key("(dev=1,ino=2)", old, 10);
        try (StateDb s = StateDb.open(tmp)) {
            s.put(key, "d41d8cd98f00b204e9800998ecf8427e");
        }
        try (StateDb s = StateDb.open(tmp)) {
            assertThat(s.get(key)).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
            assertThat(s.get(new StateDb.Key("(dev=1,ino=2)", old + 1, 10))).isNull();
            assertThat(s.get(new StateDb.Key("(dev=1,ino=2)", old, 11))).isNull();
            assertThat(s.get(new StateDb.Key("(dev=1,ino=3)", old, 10))).isNull();
        }
    }

    @Test
    void justWrittenFilesAreTrustedOnlyAfterTheTimestampGranularity() {
        StateDb.Key fresh = new StateDb.Key("(dev=1,ino=5)", nowNs() + 123, 1);
        StateDb.Key coarse = new StateDb.Key("(dev=1,ino=6)", (nowNs() / 1_000_000_000L) * 1_000_000_000L, 1);
        try (StateDb s = StateDb.open(tmp)) {
            s.put(fresh, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
            s.put(coarse, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        }
        try (StateDb s = StateDb.open(tmp)) {
            // saving waited past the fine granularity, so the fresh entry is trusted...
            assertThat(s.get(fresh)).isEqualTo("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
            // ...but a whole-second mtime may come from a 2-second file system: not yet.
            assertThat(s.get(coarse)).isNull();
        }
    }

    @Test
    void aDamagedStateFileOnlyCostsRehashingAndIsReplacedOnSave() throws Exception {
        long old = nowNs() - 60_000_000_000L + 7;
        StateDb.Key key = new StateDb.Key("(dev=1,ino=9)", old, 3);
        try (StateDb s = StateDb.open(tmp)) {
            s.put(key, "0cc175b9c0f1b6a831c399e269772661");
        }
        Path file = tmp.resolve(StateDb.FILE_NAME);
        byte[] whole = java.nio.file.Files.readAllBytes(file);
        java.nio.file.Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 5)); // truncated
        java.nio.file.Files.writeString(tmp.resolve("reprise-state.db"), "an old SQLite state");
        try (StateDb s = StateDb.open(tmp)) {
            assertThat(s.get(key)).isNull();
            s.put(key, "0cc175b9c0f1b6a831c399e269772661");
        }
        try (StateDb s = StateDb.open(tmp)) {
            assertThat(s.get(key)).isEqualTo("0cc175b9c0f1b6a831c399e269772661");
        }
        assertThat(tmp.resolve("reprise-state.db")).doesNotExist();
    }

    @Test
    void savingKeepsWhatAnotherCommandSavedMeanwhile() {
        long old = nowNs() - 60_000_000_000L + 11;
        StateDb.Key mine = new StateDb.Key("(dev=1,ino=20)", old, 1);
        StateDb.Key theirs = new StateDb.Key("(dev=1,ino=21)", old, 1);
        StateDb first = StateDb.open(tmp);
        assertThat(first.get(mine)).isNull(); // loaded before the other command saves
        try (StateDb other = StateDb.open(tmp)) {
            other.put(theirs, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        }
        first.put(mine, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        first.close();
        try (StateDb s = StateDb.open(tmp)) {
            assertThat(s.get(mine)).isEqualTo("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
            assertThat(s.get(theirs)).isEqualTo("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        }
    }
}
