package io.reprise.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.reprise.artifact.ArtifactStore;
import io.reprise.model.ErrorCode;
import io.reprise.model.MlflowException;
import io.reprise.store.TrackingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser UI at {@code /}: server-rendered pages that read the store and the artifact store
 * in-process. Every page's state is in its query string, so every view is a link.
 */
public final class WebUi {
    private static final Logger LOG = LoggerFactory.getLogger(WebUi.class);

    private final ExperimentsPage experiments;
    private final RunsPage runs;
    private final RunPage run;
    private final Charts charts;
    private final ComparePage compare;
    private final DashboardPage dashboard;

    public WebUi(TrackingStore store, ArtifactStore artifacts) {
        this.experiments = new ExperimentsPage(store);
        this.runs = new RunsPage(store);
        this.run = new RunPage(store, new Artifacts(artifacts));
        this.charts = new Charts(store);
        this.compare = new ComparePage(store, new Artifacts(artifacts));
        this.dashboard = new DashboardPage(store);
    }

    public void mount(Javalin app) {
        app.get("/", html(experiments::render));
        app.get("/experiments/{id}", html(ctx -> runs.render(ctx, ctx.pathParam("id"))));
        app.get("/runs/{id}", html(ctx -> run.render(ctx, ctx.pathParam("id"))));
        app.get("/runs/{id}/metric.json", charts::history);
        app.get("/assets/{name}", charts::asset);
        app.get("/compare", html(compare::render));
        app.get("/compliance", html(dashboard::render));
    }

    /** A page renderer; a store error becomes an HTML error page, never the API's JSON. */
    interface Page {
        String render(Context ctx);
    }

    private static Handler html(Page page) {
        return ctx -> {
            String body;
            try {
                body = page.render(ctx);
            } catch (MlflowException e) {
                int status = e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST
                        ? 404
                        : e.code().httpStatus();
                ctx.status(status);
                body = Layout.page(
                        "Error",
                        new Html()
                                .el("h1", "Not available")
                                .raw("<p class=\"error\">")
                                .text(e.getMessage())
                                .raw("</p><p><a href=\"/\">Back to the experiments</a></p>"));
            } catch (RuntimeException e) {
                LOG.error("page {} failed", ctx.path(), e);
                ctx.status(500);
                body = Layout.page(
                        "Error",
                        new Html()
                                .el("h1", "Something went wrong")
                                .raw(
                                        "<p class=\"error\">The page could not be built; the server log has the details.</p>"));
            }
            ctx.header(
                    "Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                            + "script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.contentType("text/html; charset=utf-8").result(body);
        };
    }
}
