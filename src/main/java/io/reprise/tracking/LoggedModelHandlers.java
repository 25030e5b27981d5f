package io.reprise.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.reprise.model.LoggedModel;
import io.reprise.model.LoggedModelStatus;
import io.reprise.model.MlflowException;
import io.reprise.model.ModelOutput;
import io.reprise.model.Page;
import io.reprise.model.Param;
import io.reprise.store.LoggedModelQuery;
import io.reprise.store.NewLoggedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * MLflow 3.x's logged models ({@code logged-models/*}) and the run outputs that link runs to them,
 * read and answered as MLflow's server does (mlflow/server/handlers.py).
 */
final class LoggedModelHandlers {
    // SEARCH_LOGGED_MODEL_MAX_RESULTS_DEFAULT in mlflow/store/tracking/__init__.py
    private static final int DEFAULT_MAX_RESULTS = 100;

    private final TrackingService service;
    private final Http http;
    private final ModelArtifactListing artifacts;

    LoggedModelHandlers(TrackingService service, Http http, ModelArtifactListing artifacts) {
        this.service = service;
        this.http = http;
        this.artifacts = artifacts;
    }

    /** POST logged-models. Unset strings are protobuf's "" (so model_type reads back as ""). */
    void create(Context ctx) {
        Req req = http.req(ctx);
        String experimentId = req.requiredString("experiment_id");
        String name = req.string("name");
        LoggedModel model = service.createLoggedModel(new NewLoggedModel(
                experimentId,
                name == null || name.isEmpty() ? null : name,
                req.stringOrEmpty("model_type"),
                req.stringOrEmpty("source_run_id"),
                ExperimentHandlers.tags(req, "tags", false),
                params(req)));
        http.ok(ctx, withModel(model));
    }

    void get(Context ctx) {
        boolean allowDeleted = "true".equalsIgnoreCase(ctx.queryParam("allow_deleted"));
        http.ok(ctx, withModel(service.getLoggedModel(ctx.pathParam("model_id"), allowDeleted)));
    }

    /** PATCH logged-models/{id}: MLflow reads the id and the status from the body. */
    void finalizeModel(Context ctx) {
        Req req = http.req(ctx);
        String modelId = req.requiredString("model_id");
        if (!req.has("status")) {
            throw Req.missing("status");
        }
        LoggedModelStatus status = req.enumValue("status", LoggedModelStatus::parse);
        if (status == null) {
            throw MlflowException.invalid(
                    "Unknown model status: %s", req.node("status").asText());
        }
        http.ok(ctx, withModel(service.finalizeLoggedModel(modelId, status)));
    }

    void delete(Context ctx) {
        service.deleteLoggedModel(ctx.pathParam("model_id"));
        http.empty(ctx);
    }

    void setTags(Context ctx) {
        Req req = http.req(ctx);
        service.setLoggedModelTags(ctx.pathParam("model_id"), ExperimentHandlers.tags(req, "tags", false));
        http.empty(ctx);
    }

    void deleteTag(Context ctx) {
        service.deleteLoggedModelTag(ctx.pathParam("model_id"), ctx.pathParam("tag_key"));
        http.empty(ctx);
    }

    void logParams(Context ctx) {
        Req req = http.req(ctx);
        service.logLoggedModelParams(req.requiredString("model_id"), params(req));
        http.empty(ctx);
    }

    void search(Context ctx) {
        Req req = http.req(ctx);
        if (!req.has("experiment_ids")) {
            throw Req.missing("experiment_ids");
        }
        List<String> experimentIds = req.strings("experiment_ids").stream()
                .map(Validation::experimentId)
                .toList();
        Long max = req.longValue("max_results");
        if (max != null && max < 0) {
            throw MlflowException.invalid(
                    "Invalid value %d for parameter 'max_results' supplied. It must be a positive integer", max);
        }
        // MLflow reads 0 as unset ("max_results or None")
        int maxResults = max == null || max == 0 ? DEFAULT_MAX_RESULTS : (int) Math.min(max, Integer.MAX_VALUE - 1);
        Page<LoggedModel> page = service.searchLoggedModels(new LoggedModelQuery(
                experimentIds, req.string("filter"), orderBy(req), maxResults, req.string("page_token")));
        ObjectNode body = Wire.object();
        if (!page.items().isEmpty()) {
            ArrayNode models = body.putArray("models");
            page.items().forEach(m -> models.add(Wire.loggedModel(m)));
        }
        if (page.nextPageToken() != null) {
            body.put("next_page_token", page.nextPageToken());
        }
        http.ok(ctx, body);
    }

    /** GET logged-models/{id}/artifacts/directories?artifact_directory_path=...: one folder's files. */
    void listArtifacts(Context ctx) {
        LoggedModel model = service.getLoggedModel(ctx.pathParam("model_id"), false);
        String dir = ctx.queryParam("artifact_directory_path");
        http.ok(
                ctx,
                artifacts.list("logged model " + model.modelId(), model.artifactLocation(), dir == null ? "" : dir));
    }

    /** POST runs/outputs: the logged models a run produced. */
    void logOutputs(Context ctx) {
        Req req = http.req(ctx);
        String runId = req.requiredString("run_id");
        if (!req.has("models")) {
            throw Req.missing("models");
        }
        List<ModelOutput> outputs = new ArrayList<>();
        for (JsonNode m : req.array("models")) {
            if (!m.isObject()) {
                throw Req.invalidType("models", req.node("models"));
            }
            JsonNode step = m.get("step");
            outputs.add(new ModelOutput(
                    text(m.get("model_id")), step == null || step.isNull() ? 0 : Values.asLong("step", step)));
        }
        service.logOutputs(runId, outputs);
        http.empty(ctx);
    }

    private static ObjectNode withModel(LoggedModel model) {
        ObjectNode body = Wire.object();
        body.set("model", Wire.loggedModel(model));
        return body;
    }

    private static List<Param> params(Req req) {
        List<Param> out = new ArrayList<>();
        for (JsonNode item : req.array("params")) {
            if (!item.isObject()) {
                throw Req.invalidType("params", req.node("params"));
            }
            out.add(new Param(text(item.get("key")), text(item.get("value"))));
        }
        return out;
    }

    private static List<LoggedModelQuery.Order> orderBy(Req req) {
        List<LoggedModelQuery.Order> out = new ArrayList<>();
        for (JsonNode item : req.array("order_by")) {
            if (!item.isObject()) {
                throw Req.invalidType("order_by", req.node("order_by"));
            }
            JsonNode asc = item.get("ascending");
            out.add(new LoggedModelQuery.Order(
                    text(item.get("field_name")), asc == null || asc.isNull() || asc.asBoolean()));
        }
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "" : n.asText();
    }
}
