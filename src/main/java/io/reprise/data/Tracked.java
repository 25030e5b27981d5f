package io.reprise.data;

import java.nio.file.Path;

/**
 * An output as one file records it: the {@code .dvc} file ({@code dvcFile}, entry {@code index}) or
 * the {@code dvc.lock} of a pipeline ({@code stage} names the stage; no {@code dvcFile}: lock files are
 * only read), the recorded output, and where it lives.
 */
record Tracked(Path file, String stage, DvcFile dvcFile, int index, Output out, Path path) {

    /** Outputs of a pipeline stage are written by {@code dvc repro}/{@code dvc commit}, not by us. */
    boolean fromLock() {
        return stage != null;
    }
}
