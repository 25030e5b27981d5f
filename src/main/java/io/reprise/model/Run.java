package io.reprise.model;

import java.util.List;

/**
 * A run with everything get-run returns: besides datasets, the ids of logged models it used
 * ({@code modelInputs}) and the logged models it produced ({@code modelOutputs}).
 */
public record Run(
        RunInfo info,
        RunData data,
        List<DatasetInput> inputs,
        List<String> modelInputs,
        List<ModelOutput> modelOutputs) {

    /** A run that used and produced no logged model. */
    public Run(RunInfo info, RunData data, List<DatasetInput> inputs) {
        this(info, data, inputs, List.of(), List.of());
    }
}
