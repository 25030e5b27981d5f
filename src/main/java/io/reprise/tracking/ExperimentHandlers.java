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
        String id = service.createExperiment(name, location, tags(req, "tags"));
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
        Long max = req.longValue("max_results");
        int maxResults = max == null ? 1000 : max.intValue();
        if (max != null && (max < 1 || max > MAX_EXPERIMENTS_PER_PAGE)) {
            throw MlflowException.invalid(
                    "Invalid value %d for parameter 'max_results' supplied. It must be at most %d, but got value %d",
                    max, MAX_EXPERIMENTS_PER_PAGE, max);
        }
        ViewType view = viewType(req, "view_type");
        Page<Experiment> page = service.searchExperiments(new ExperimentQuery(
                req.string("filter"), view, maxResults, req.strings("order_by"), req.string("page_token")));
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
        String value = req.string("value");
        service.setExperimentTag(
                req.requiredString("experiment_id"), new Tag(req.requiredString("key"), value == null ? "" : value));
        http.empty(ctx);
    }

    void deleteTag(Context ctx) {
        Req req = http.req(ctx);
        service.deleteExperimentTag(req.requiredString("experiment_id"), req.requiredString("key"));
        http.empty(ctx);
    }

    static ViewType viewType(Req req, String field) {
        JsonNode n = req.node(field);
        if (n == null) {
            return ViewType.ACTIVE_ONLY;
        }
        ViewType v = ViewType.parse(n.asText());
        if (v == null) {
            throw Req.invalidType(field, n);
        }
        return v;
    }

    /** A repeated {key, value} field; a missing value is the empty string, a missing key an error. */
    static List<Tag> tags(Req req, String field) {
        List<Tag> out = new ArrayList<>();
        List<JsonNode> items = req.array(field);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw Req.invalidType(field, req.node(field));
            }
            JsonNode key = item.get("key");
            if (key == null || key.isNull() || key.asText().isEmpty()) {
                throw Req.missing(field + "[" + i + "].key");
            }
            JsonNode value = item.get("value");
            out.add(new Tag(key.asText(), value == null || value.isNull() ? "" : value.asText()));
        }
        return out;
    }
}
