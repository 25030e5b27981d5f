package io.reprise.tracking;

import io.javalin.http.Context;
import io.reprise.model.MlflowException;
import io.reprise.model.Page;
import io.reprise.model.Run;
import io.reprise.model.RunInfo;
import io.reprise.model.RunStatus;
import io.reprise.model.ViewType;
import io.reprise.store.RunQuery;
import io.reprise.store.RunUpdate;
import java.util.List;

/** The runs/* lifecycle and search endpoints. */
final class RunHandlers {
    private static final int MAX_RUNS_PER_PAGE = 50000;
    private static final int DEFAULT_RUNS_PER_PAGE = 1000;

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
                ExperimentHandlers.tags(req, "tags", false));
        http.ok(ctx, "run", g -> RunJson.createdRun(g, run));
    }

    void get(Context ctx) {
        Run run = service.getRun(http.req(ctx).runId());
        http.ok(ctx, "run", g -> RunJson.run(g, run));
    }

    void update(Context ctx) {
        Req req = http.req(ctx);
        String runId = req.runId();
        RunStatus status = req.enumValue("status", RunStatus::parse);
        RunInfo info =
                service.updateRun(new RunUpdate(runId, status, req.longValue("end_time"), req.string("run_name")));
        http.ok(ctx, "run_info", g -> RunJson.runInfo(g, info));
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
        List<String> experimentIds = req.strings("experiment_ids").stream()
                .map(Validation::experimentId)
                .toList();
        String filter = req.string("filter");
        int maxResults = maxResults(req);
        List<String> orderBy = req.strings("order_by");
        ViewType view = req.enumValue("run_view_type", ViewType::parse);
        Page<Run> page = service.searchRuns(new RunQuery(
                experimentIds,
                filter,
                view == null ? ViewType.ACTIVE_ONLY : view,
                maxResults,
                orderBy,
                req.string("page_token")));
        http.ok(ctx, g -> {
            g.writeStartObject();
            if (!page.items().isEmpty()) {
                g.writeArrayFieldStart("runs");
                for (Run r : page.items()) {
                    RunJson.run(g, r);
                }
                g.writeEndArray();
            }
            if (page.nextPageToken() != null) {
                g.writeStringField("next_page_token", page.nextPageToken());
            }
            g.writeEndObject();
        });
    }

    /** SearchRuns.max_results defaults to 1000; over 50000 fails MLflow's schema check. */
    private static int maxResults(Req req) {
        Long max = req.longValue("max_results");
        if (max == null) {
            return DEFAULT_RUNS_PER_PAGE;
        }
        if (max > MAX_RUNS_PER_PAGE) {
            throw Req.invalidType("max_results", req.node("max_results"));
        }
        if (max < 1) {
            throw MlflowException.invalid(
                    "Invalid value %d for parameter 'max_results' supplied. It must be a positive integer", max);
        }
        return max.intValue();
    }
}
