package io.reprise.model;

import java.util.List;

/** A dataset used by a run, with the input's tags (such as {@code mlflow.data.context}). */
public record DatasetInput(Dataset dataset, List<Tag> tags) {}
