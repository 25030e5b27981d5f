package io.reprise.tracking;

import io.javalin.http.Context;
import io.reprise.model.MlflowException;

/**
 * The part of MLflow 3.x's logged-models API that plain tracking clients call: the 3.x client's
 * {@code list_artifacts} searches an experiment's logged models, and {@code mlflow.get_logged_model}
 * reads one. Reprise stores no logged models yet, so it answers truthfully that there are none.
 */
final class LoggedModelHandlers {
    private final Http http;

    LoggedModelHandlers(Http http) {
        this.http = http;
    }

    /** POST logged-models/search: validated like MLflow's, then the empty result MLflow sends ({}). */
    void search(Context ctx) {
        Req req = http.req(ctx);
        if (!req.has("experiment_ids")) {
            throw Req.missing("experiment_ids");
        }
        for (String id : req.strings("experiment_ids")) {
            Validation.experimentId(id);
        }
        req.string("filter");
        req.strings("order_by");
        req.string("page_token");
        Long max = req.longValue("max_results");
        if (max != null && max < 1) {
            throw MlflowException.invalid(
                    "Invalid value %d for parameter 'max_results' supplied. It must be a positive integer", max);
        }
        http.empty(ctx);
    }

    /** GET logged-models/{model_id}: no model exists, so every id is unknown. */
    void get(Context ctx) {
        String modelId = ctx.pathParam("model_id");
        throw MlflowException.notFound("Logged model with ID '%s' not found.", modelId);
    }
}
