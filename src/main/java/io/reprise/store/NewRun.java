package io.reprise.store;

import io.reprise.model.Tag;
import java.util.List;

/** What create-run stores; the name is already resolved and {@code tags} hold {@code mlflow.runName}. */
public record NewRun(String experimentId, String userId, String runName, long startTime, List<Tag> tags) {}
