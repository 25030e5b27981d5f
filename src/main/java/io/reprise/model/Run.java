package io.reprise.model;

import java.util.List;

/** A run with everything get-run returns. */
public record Run(RunInfo info, RunData data, List<DatasetInput> inputs) {}
