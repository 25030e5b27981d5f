package io.reprise.data;

import java.nio.file.Path;

/** An output as one .dvc file records it: which file, which entry, and where it lives. */
record Tracked(DvcFile dvcFile, int index, Output out, Path path) {}
