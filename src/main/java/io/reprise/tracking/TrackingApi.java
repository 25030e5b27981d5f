package io.reprise.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;

/** Mounts MLflow's tracking REST API on a Javalin app, under /api/2.0/mlflow and its /ajax-api alias. */
public final class TrackingApi {
    static final List<String> PREFIXES = List.of("/api/2.0/mlflow", "/ajax-api/2.0/mlflow");
    /** Reprise's own endpoints, apart from MLflow's so that neither can shadow the other. */
    static final List<String> REPRISE_PREFIXES = List.of("/api/2.0/reprise", "/ajax-api/2.0/reprise");

    private final ExperimentHandlers experiments;
    private final RunHandlers runs;
    private final LoggingHandlers logging;
    private final LoggedModelHandlers loggedModels;
    private final ComplianceHandlers compliance;

    public TrackingApi(TrackingService service, ObjectMapper mapper, ModelArtifactListing modelArtifacts) {
        Http http = new Http(mapper);
        this.experiments = new ExperimentHandlers(service, http);
        this.runs = new RunHandlers(service, http);
        this.logging = new LoggingHandlers(service, http);
        this.loggedModels = new LoggedModelHandlers(service, http, modelArtifacts);
        this.compliance = new ComplianceHandlers(service, http);
    }

    public void mount(Javalin app) {
        post(app, "/experiments/create", experiments::create);
        get(app, "/experiments/get", experiments::get);
        get(app, "/experiments/get-by-name", experiments::getByName);
        post(app, "/experiments/search", experiments::search);
        get(app, "/experiments/search", experiments::search);
        post(app, "/experiments/update", experiments::update);
        post(app, "/experiments/delete", experiments::delete);
        post(app, "/experiments/restore", experiments::restore);
        post(app, "/experiments/set-experiment-tag", experiments::setTag);
        post(app, "/experiments/delete-experiment-tag", experiments::deleteTag);

        post(app, "/runs/create", runs::create);
        get(app, "/runs/get", runs::get);
        post(app, "/runs/update", runs::update);
        post(app, "/runs/delete", runs::delete);
        post(app, "/runs/restore", runs::restore);
        post(app, "/runs/search", runs::search);

        post(app, "/runs/log-metric", logging::logMetric);
        post(app, "/runs/log-parameter", logging::logParam);
        post(app, "/runs/set-tag", logging::setTag);
        post(app, "/runs/delete-tag", logging::deleteTag);
        post(app, "/runs/log-batch", logging::logBatch);
        post(app, "/runs/log-inputs", logging::logInputs);
        post(app, "/runs/log-model", logging::logModel);
        get(app, "/metrics/get-history", logging::metricHistory);

        post(app, "/runs/outputs", loggedModels::logOutputs);
        post(app, "/logged-models", loggedModels::create);
        post(app, "/logged-models/search", loggedModels::search);
        get(app, "/logged-models/{model_id}", loggedModels::get);
        add(app, HandlerType.PATCH, "/logged-models/{model_id}", loggedModels::finalizeModel);
        add(app, HandlerType.DELETE, "/logged-models/{model_id}", loggedModels::delete);
        add(app, HandlerType.PATCH, "/logged-models/{model_id}/tags", loggedModels::setTags);
        add(app, HandlerType.DELETE, "/logged-models/{model_id}/tags/{tag_key}", loggedModels::deleteTag);
        post(app, "/logged-models/{model_id}/params", loggedModels::logParams);
        get(app, "/logged-models/{model_id}/artifacts/directories", loggedModels::listArtifacts);

        REPRISE_PREFIXES.forEach(
                prefix -> app.addHttpHandler(HandlerType.GET, prefix + "/runs/compliance", compliance::get));
        REPRISE_PREFIXES.forEach(
                prefix -> app.addHttpHandler(HandlerType.POST, prefix + "/runs/create-tag", logging::createTag));
    }

    private static void add(Javalin app, HandlerType method, String path, Handler handler) {
        PREFIXES.forEach(prefix -> app.addHttpHandler(method, prefix + path, handler));
    }

    private static void post(Javalin app, String path, Handler handler) {
        PREFIXES.forEach(prefix -> app.addHttpHandler(HandlerType.POST, prefix + path, handler));
    }

    private static void get(Javalin app, String path, Handler handler) {
        PREFIXES.forEach(prefix -> app.addHttpHandler(HandlerType.GET, prefix + path, handler));
    }
}
