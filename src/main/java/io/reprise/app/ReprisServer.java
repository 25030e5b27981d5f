package io.reprise.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.reprise.artifact.ArtifactApi;
import io.reprise.artifact.ArtifactStore;
import io.reprise.artifact.ArtifactStores;
import io.reprise.policy.Compliance;
import io.reprise.policy.PolicyFile;
import io.reprise.store.StoreFactory;
import io.reprise.store.TrackingStore;
import io.reprise.tracking.TrackingApi;
import io.reprise.tracking.TrackingService;
import io.reprise.web.WebUi;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.servlet.FilterHolder;

/** The tracking server: every part built and wired here, by plain constructors. */
public final class ReprisServer implements AutoCloseable {
    /** The MLflow version whose REST API this server speaks, answered at /version. */
    public static final String MLFLOW_COMPAT_VERSION = "3.17.2";

    /** The largest request body outside artifact uploads (which stream to disk, unlimited). */
    static final long MAX_BODY = 32L * 1024 * 1024;

    private static final long STOP_TIMEOUT_MS = 10_000;

    /** How often the policy file is checked for changes. */
    private static final Duration POLICY_POLL = Duration.ofSeconds(1);

    private final TrackingStore store;
    private final ArtifactStore artifacts;
    private final Javalin app;
    private final PolicyFile policy;

    private ReprisServer(TrackingStore store, ArtifactStore artifacts, Javalin app, PolicyFile policy) {
        this.store = store;
        this.artifacts = artifacts;
        this.app = app;
        this.policy = policy;
    }

    /**
     * Reads the policy, opens the store, mounts the APIs and starts listening; the port may be 0 for
     * any free port. A broken policy file is a {@link io.reprise.policy.PolicyException}.
     */
    public static ReprisServer start(ServerConfig config) {
        PolicyFile policy = config.policy() == null ? null : PolicyFile.load(config.policy());
        // Start-up is mostly first-time class initialisation: the web side (Jackson, Javalin, Jetty,
        // metrics) is built on a second thread while this one opens and migrates the store.
        // Nothing listens before both are done, so no request can see a store without its schema.
        // SLF4J binds its provider on first use; two threads logging while it does make it replay
        // their messages with three "SLF4J(W)" lines of its own on stderr. Bound here, before the fork.
        org.slf4j.LoggerFactory.getILoggerFactory();
        CompletableFuture<Web> web = new CompletableFuture<>();
        Thread.ofPlatform().name("reprise-start").daemon().start(() -> {
            try {
                web.complete(Web.create(config));
            } catch (RuntimeException | Error e) {
                web.completeExceptionally(e);
            }
        });
        TrackingStore store = StoreFactory.open(config.backendStoreUri(), ArtifactApi.PROXY_SCHEME + "/");
        ArtifactStore artifacts = null;
        try {
            Web w = join(web);
            ObjectMapper mapper = w.mapper();
            ServerMetrics metrics = w.metrics();
            Javalin app = w.app();
            artifacts = ArtifactStores.open(config.artifactsDestination(), config.s3());
            Compliance compliance =
                    policy == null ? Compliance.off() : new Compliance(policy, new RunArtifactFiles(artifacts));
            TrackingService service = new TrackingService(metrics.timed(store), compliance);
            ArtifactApi artifactApi =
                    new ArtifactApi(artifacts, runId -> service.getRun(runId).info(), mapper);
            new TrackingApi(service, mapper, artifactApi::listUnder).mount(app);
            artifactApi.mount(app);
            new WebUi(store, artifacts).mount(app);
            app.get("/health", ctx -> ctx.result("OK"));
            app.get("/version", ctx -> ctx.result(MLFLOW_COMPAT_VERSION));
            Errors.mount(app, MAX_BODY);
            app.start();
            if (policy != null) {
                policy.watch(POLICY_POLL);
            }
            return new ReprisServer(store, artifacts, app, policy);
        } catch (RuntimeException e) {
            if (artifacts != null) {
                artifacts.close();
            }
            store.close();
            throw e;
        }
    }

    /** The parts of the server that do not need the store. */
    private record Web(ObjectMapper mapper, ServerMetrics metrics, Javalin app) {
        static Web create(ServerConfig config) {
            ObjectMapper mapper = new ObjectMapper();
            ServerMetrics metrics = new ServerMetrics();
            Javalin app = Javalin.create(c -> configure(c, config));
            metrics.mount(app);
            return new Web(mapper, metrics, app);
        }
    }

    private static Web join(CompletableFuture<Web> web) {
        try {
            return web.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static void configure(JavalinConfig c, ServerConfig config) {
        c.useVirtualThreads = true;
        c.showJavalinBanner = false;
        c.http.maxRequestSize = MAX_BODY;
        c.http.prefer405over404 = true;
        c.jetty.defaultHost = config.host();
        c.jetty.defaultPort = config.port();
        c.jetty.modifyServer(server -> {
            server.setErrorHandler(new JsonErrorHandler());
            // on stop, requests under way (an upload, a log-batch) get this long to finish
            server.setStopTimeout(STOP_TIMEOUT_MS);
        });
        c.jetty.modifyServletContextHandler(context -> {
            context.setErrorHandler(new JsonErrorHandler());
            context.addFilter(
                    new FilterHolder(new RequestBodyGuard(MAX_BODY, ArtifactApi.PROXY_PREFIXES)),
                    "/*",
                    EnumSet.of(DispatcherType.REQUEST));
        });
    }

    public int port() {
        return app.port();
    }

    /** Where artifacts are kept: an absolute folder or an s3:// URL. */
    public String artifactsLocation() {
        return artifacts.location();
    }

    @Override
    public void close() {
        if (policy != null) {
            policy.close();
        }
        app.stop();
        artifacts.close();
        store.close();
    }
}
