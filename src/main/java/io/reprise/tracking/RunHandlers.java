package io.reprise.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.reprise.model.MlflowException;
import io.reprise.model.Page;
import io.reprise.model.Run;
import io.reprise.model.RunInfo;
import io.reprise.model.RunStatus;
import io.reprise.model.ViewType;
import io.reprise.store.RunQuery;
import io.reprise.store.RunUpdate;

/** The runs/* lifecycle and search endpoints. */
final class RunHandlers {
    private static final int MAX_RUNS_PER_PAGE = 50000;

    private final TrackingService service;
    private final Http http;

    RunHandlers(TrackingService service, Http http) {
        this.service = service;
        this.http = http;
    }

    void create(Context ctx) {
        Req req = http.req(ctx);
        Run run = service.createRun(
                req.string("experiment_id"),
                req.string("user_id"),
                req.string("run_name"),
                req.longValue("start_time"),
                ExperimentHandlers.tags(req, "tags"));
        http.ok(ctx, runResponse(run));
    }

    void get(Context ctx) {
        http.ok(ctx, runResponse(service.getRun(http.req(ctx).runId())));
    }

    private static ObjectNode runResponse(Run run) {
        ObjectNode body = Wire.object();
        body.set("run", Wire.run(run));
        return body;
    }

    void update(Context ctx) {
        Req req = http.req(ctx);
        String runId = req.runId();
        RunStatus status = null;
        JsonNode statusNode = req.node("status");
        if (statusNode != null) {
            status = RunStatus.parse(statusNode.asText());
            if (status == null) {
                throw Req.invalidType("status", statusNode);
            }
        }
        RunInfo info =
                service.updateRun(new RunUpdate(runId, status, req.longValue("end_time"), req.string("run_name")));
        ObjectNode body = Wire.object();
        body.set("run_info", Wire.runInfo(info));
        http.ok(ctx, body);
    }

    void delete(Context ctx) {
        service.deleteRun(http.req(ctx).runId());
        http.empty(ctx);
    }

    void restore(Context ctx) {
        service.restoreRun(http.req(ctx).runId());
        http.empty(ctx);
    }

    void search(Context ctx) {
        Req req = http.req(ctx);
        Long max = req.longValue("max_results");
        if (max != null && max > MAX_RUNS_PER_PAGE) {
            throw MlflowException.invalid("Invalid value %d for parameter 'max_results' supplied.", max);
        }
        int maxResults = max == null ? 1000 : max.intValue();
        if (maxResults < 1) {
            throw MlflowException.invalid(
                    "Invalid value %d for parameter 'max_results' supplied. It must be a positive integer.",
                    maxResults);
        }
        ViewType view = ExperimentHandlers.viewType(req, "run_view_type");
        Page<Run> page = service.searchRuns(new RunQuery(
                req.strings("experiment_ids"),
                req.string("filter"),
                view,
                maxResults,
                req.strings("order_by"),
                req.string("page_token")));
        ObjectNode body = Wire.object();
        if (!page.items().isEmpty()) {
            ArrayNode runs = body.putArray("runs");
            page.items().forEach(r -> runs.add(Wire.run(r)));
        }
        if (page.nextPageToken() != null) {
            body.put("next_page_token", page.nextPageToken());
        }
        http.ok(ctx, body);
    }
}
