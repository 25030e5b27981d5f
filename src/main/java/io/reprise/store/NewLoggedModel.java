package io.reprise.store;

import io.reprise.model.Param;
import io.reprise.model.Tag;
import java.util.List;

/** A logged model to create; {@code name} is already chosen, the other strings may be null. */
public record NewLoggedModel(
        String experimentId, String name, String modelType, String sourceRunId, List<Tag> tags, List<Param> params) {}
