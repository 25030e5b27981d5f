package io.reprise.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.reprise.model.Experiment;
import io.reprise.model.MlflowException;
import io.reprise.model.Page;
import io.reprise.model.Tag;
import io.reprise.model.ViewType;
import io.reprise.store.ExperimentQuery;
import java.util.ArrayList;
import java.util.List;

/** The experiments/* endpoints. */
final class ExperimentHandlers {
    private static final int MAX_EXPERIMENTS_PER_PAGE = 50000;

    private final TrackingService service;
    private final Http http;

    ExperimentHandlers(TrackingService service, Http http) {
        this.service = service;
        this.http = http;
    }

    void create(Context ctx) {
        Req req = http.req(ctx);
        String name = req.requiredString("name");
        String location = req.string("artifact_location");
        String id = service.createExperiment(name, location, tags(req, "tags", false));
        http.ok(ctx, Wire.object().put("experiment_id", id));
    }

    void get(Context ctx) {
        Req req = http.req(ctx);
        Experiment e = service.getExperiment(req.requiredString("experiment_id"));
        http.ok(ctx, experimentResponse(e));
    }

    void getByName(Context ctx) {
        Req req = http.req(ctx);
        Experiment e = service.getExperimentByName(req.requiredString("experiment_name"));
        http.ok(ctx, experimentResponse(e));
    }

    private static ObjectNode experimentResponse(Experiment e) {
        ObjectNode body = Wire.object();
        body.set("experiment", Wire.experiment(e));
        return body;
    }

    void search(Context ctx) {
        Req req = http.req(ctx);
        int maxResults = maxResults(req);
        ViewType view = req.enumValue("view_type", ViewType::parse);
        Page<Experiment> page = service.searchExperiments(new ExperimentQuery(
                req.string("filter"),
                view == null ? ViewType.ACTIVE_ONLY : view,
                maxResults,
                req.strings("order_by"),
                req.string("page_token")));
        ObjectNode body = Wire.object();
        if (!page.items().isEmpty()) {
            ArrayNode arr = body.putArray("experiments");
            page.items().forEach(e -> arr.add(Wire.experiment(e)));
        }
        if (page.nextPageToken() != null) {
            body.put("next_page_token", page.nextPageToken());
        }
        http.ok(ctx, body);
    }

    /** SearchExperiments.max_results has no default: MLflow reads an absent one as 0 and refuses it. */
    private static int maxResults(Req req) {
        Long max = req.longValue("max_results");
        long value = max == null ? 0 : max;
        if (value < 1) {
            throw MlflowException.invalid(
                    "Invalid value %d for parameter 'max_results' supplied. It must be a positive integer", value);
        }
        if (value > MAX_EXPERIMENTS_PER_PAGE) {
            throw MlflowException.invalid(
                    "Invalid value %d for parameter 'max_results' supplied. It must be at most %d",
                    value, MAX_EXPERIMENTS_PER_PAGE);
        }
        return (int) value;
    }

    void update(Context ctx) {
        Req req = http.req(ctx);
        service.renameExperiment(req.requiredString("experiment_id"), req.requiredString("new_name"));
        http.empty(ctx);
    }

    void delete(Context ctx) {
        service.deleteExperiment(http.req(ctx).requiredString("experiment_id"));
        http.empty(ctx);
    }

    void restore(Context ctx) {
        service.restoreExperiment(http.req(ctx).requiredString("experiment_id"));
        http.empty(ctx);
    }

    void setTag(Context ctx) {
        Req req = http.req(ctx);
        String experimentId = req.requiredString("experiment_id");
        String key = req.requiredString("key");
        service.setExperimentTag(experimentId, new Tag(key, req.stringOrEmpty("value")));
        http.empty(ctx);
    }

    void deleteTag(Context ctx) {
        Req req = http.req(ctx);
        service.deleteExperimentTag(req.requiredString("experiment_id"), req.requiredString("key"));
        http.empty(ctx);
    }

    /**
     * A repeated {key, value} field; a missing value is the empty string. A missing key is refused
     * as missing where MLflow's schema checks each entry (log-batch); elsewhere it is the empty key,
     * which key validation then refuses with MLflow's message.
     */
    static List<Tag> tags(Req req, String field, boolean keyRequired) {
        List<Tag> out = new ArrayList<>();
        List<JsonNode> items = req.array(field);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw Req.invalidType(field, req.node(field));
            }
            String key = text(item.get("key"));
            if (keyRequired && key.isEmpty()) {
                throw Req.missing(field + "[" + i + "].key");
            }
            out.add(new Tag(key, text(item.get("value"))));
        }
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "" : n.asText();
    }
}
