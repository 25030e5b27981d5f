package io.reprise.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.reprise.artifact.ArtifactApi;
import io.reprise.artifact.LocalArtifactStore;
import io.reprise.model.ErrorCode;
import io.reprise.model.MlflowException;
import io.reprise.store.StoreFactory;
import io.reprise.store.TrackingStore;
import io.reprise.tracking.ErrorBody;
import io.reprise.tracking.TrackingApi;
import io.reprise.tracking.TrackingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tracking server: every part built and wired here, by plain constructors. */
public final class ReprisServer implements AutoCloseable {
    /** The MLflow version whose REST API this server speaks, answered at /version. */
    public static final String MLFLOW_COMPAT_VERSION = "3.17.2";

    private static final Logger LOG = LoggerFactory.getLogger(ReprisServer.class);
    private static final long MAX_JSON_BODY = 32L * 1024 * 1024;

    private final TrackingStore store;
    private final Javalin app;

    private ReprisServer(TrackingStore store, Javalin app) {
        this.store = store;
        this.app = app;
    }

    /** Opens the store, mounts the APIs and starts listening; the port may be 0 for any free port. */
    public static ReprisServer start(ServerConfig config) {
        TrackingStore store = StoreFactory.open(config.backendStoreUri(), ArtifactApi.PROXY_SCHEME + "/");
        try {
            ObjectMapper mapper = new ObjectMapper();
            TrackingService service = new TrackingService(store);
            LocalArtifactStore artifacts = new LocalArtifactStore(config.artifactsDestination());
            Javalin app = Javalin.create(c -> {
                c.useVirtualThreads = true;
                c.showJavalinBanner = false;
                c.http.maxRequestSize = MAX_JSON_BODY;
                c.http.prefer405over404 = true;
                c.jetty.defaultHost = config.host();
                c.jetty.defaultPort = config.port();
            });
            new TrackingApi(service, mapper).mount(app);
            new ArtifactApi(artifacts, runId -> service.getRun(runId).info(), mapper).mount(app);
            app.get("/health", ctx -> ctx.result("OK"));
            app.get("/version", ctx -> ctx.result(MLFLOW_COMPAT_VERSION));
            errors(app);
            app.start();
            return new ReprisServer(store, app);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static void errors(Javalin app) {
        app.exception(MlflowException.class, (e, ctx) -> error(ctx, e.code(), e.getMessage()));
        app.exception(HttpResponseException.class, (e, ctx) -> {
            ctx.status(e.getStatus()); // keeps a 405 a 405 (see error())
            error(ctx, codeFor(e.getStatus()), e.getMessage());
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            error(
                    ctx,
                    ErrorCode.INTERNAL_ERROR,
                    "Internal error: " + e.getClass().getSimpleName() + ". The server log has the details.");
        });
        app.error(404, ctx -> {
            if (ctx.result() == null) {
                error(ctx, ErrorCode.ENDPOINT_NOT_FOUND, "No endpoint " + ctx.method() + " " + ctx.path());
            }
        });
        app.error(
                405,
                ctx -> error(
                        ctx, ErrorCode.BAD_REQUEST, "Method " + ctx.method() + " is not allowed on " + ctx.path()));
    }

    private static ErrorCode codeFor(int status) {
        return switch (status) {
            case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
            case 413 -> ErrorCode.INVALID_PARAMETER_VALUE;
            default -> status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_ERROR;
        };
    }

    private static void error(Context ctx, ErrorCode code, String message) {
        int status = ctx.statusCode() == 405 ? 405 : code.httpStatus();
        ctx.status(status)
                .contentType("application/json")
                .result(ErrorBody.of(code, message).toString());
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        store.close();
    }
}
