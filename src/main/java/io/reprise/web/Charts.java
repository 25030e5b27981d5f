package io.reprise.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.reprise.model.ErrorCode;
import io.reprise.model.Metric;
import io.reprise.model.MlflowException;
import io.reprise.model.Page;
import io.reprise.model.Run;
import io.reprise.store.TrackingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Metric charts: {@code /runs/ID/metric.json?key=K} is one metric's history, read page by page
 * from the store and downsampled to at most {@value #MAX_POINTS} points, and {@code /assets/*}
 * serves uPlot (from its webjar) and the script that draws the figures a page declares. Pages
 * with charts go through {@link #page}, which adds uPlot's style sheet; without JavaScript the
 * figures stay empty and the latest values remain in the pages' tables.
 */
final class Charts {
    static final int MAX_POINTS = 1000;
    /** The most figures a page draws; more keys than that are listed, not drawn. */
    static final int MAX_CHARTS = 24;
    /** MLflow's limit on a metric key's length. */
    static final int MAX_KEY = 250;

    private static final int PAGE = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** uPlot's webjar, pinned in pom.xml ({@code uplot.version}). */
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

    private static final Map<String, byte[]> ASSETS = Map.of(
            "uplot.js", bytes(UPLOT + "uPlot.iife.min.js"),
            "charts.js", bytes("/io/reprise/web/charts.js"));
    private static final String UPLOT_CSS =
            new String(bytes(UPLOT + "uPlot.min.css"), java.nio.charset.StandardCharsets.UTF_8);

    private final TrackingStore store;

    Charts(TrackingStore store) {
        this.store = store;
    }

    /** A page that draws charts: the layout with uPlot's style sheet in its head. */
    static String page(String title, Html body) {
        body.raw("<script src=\"/assets/uplot.js\"></script><script src=\"/assets/charts.js\"></script>");
        return Layout.page(title, body).replace("</head>", "<style>" + UPLOT_CSS + "</style></head>");
    }

    /** The JSON route of one metric's history. */
    static String historyLink(String runId, String key) {
        return "/runs/" + Html.q(runId) + "/metric.json?key=" + Html.q(key);
    }

    /**
     * A figure the script fills: one series for each {@code (label, runId)} pair, all of metric
     * {@code key}. Every attribute value is escaped; the script reads them as text.
     */
    static void figure(Html h, String key, List<Map.Entry<String, String>> series) {
        ArrayNode spec = JSON.createArrayNode();
        series.forEach(s -> spec.addObject().put("label", s.getKey()).put("src", historyLink(s.getValue(), key)));
        h.raw("<figure class=\"chart\" data-key=\"")
                .text(key)
                .raw("\" data-series=\"")
                .text(spec.toString())
                .raw("\"><figcaption>")
                .text(key)
                .raw(
                        "</figcaption><noscript><p class=\"note\">Charts need JavaScript; the table has the latest values, and ");
        if (!series.isEmpty()) {
            h.link(historyLink(series.get(0).getValue(), key), "the history is here as JSON");
        }
        h.raw(".</p></noscript></figure>");
    }

    void history(Context ctx) {
        String runId = ctx.pathParam("id");
        String key = ctx.queryParam("key");
        try {
            if (key == null || key.isEmpty() || key.length() > MAX_KEY) {
                error(ctx, 400, "give the metric as ?key=NAME (at most " + MAX_KEY + " characters)");
                return;
            }
            Run run = store.getRun(runId);
            if (run.data().metrics().stream().noneMatch(m -> m.key().equals(key))) {
                error(ctx, 404, "run " + runId + " has no metric '" + key + "'");
                return;
            }
            json(ctx, 200, read(runId, key));
        } catch (MlflowException e) {
            error(
                    ctx,
                    e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST
                            ? 404
                            : e.code().httpStatus(),
                    e.getMessage());
        }
    }

    /**
     * The history as {@code steps}, {@code times} (seconds after the first point) and
     * {@code values} (null for NaN), in the store's order: by time, then step.
     */
    private ObjectNode read(String runId, String key) {
        Downsample d = new Downsample(MAX_POINTS);
        String token = null;
        do {
            Page<Metric> page = store.getMetricHistory(runId, key, PAGE, token);
            page.items().forEach(m -> d.add(m.step(), m.timestamp(), m.value()));
            token = page.nextPageToken();
        } while (token != null);
        List<Downsample.Point> points = d.points();
        ObjectNode out = JSON.createObjectNode()
                .put("run_id", runId)
                .put("key", key)
                .put("total", d.count())
                .put("sampled", d.sampled());
        ArrayNode steps = out.putArray("steps");
        ArrayNode times = out.putArray("times");
        ArrayNode values = out.putArray("values");
        long t0 = points.isEmpty() ? 0 : points.get(0).timestamp();
        for (Downsample.Point p : points) {
            steps.add(p.step());
            times.add((p.timestamp() - t0) / 1000.0);
            if (Double.isFinite(p.value())) {
                values.add(p.value());
            } else {
                values.addNull();
            }
        }
        return out;
    }

    void asset(Context ctx) {
        byte[] body = ASSETS.get(ctx.pathParam("name"));
        if (body == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("no such asset");
            return;
        }
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "max-age=3600");
        ctx.contentType("text/javascript; charset=utf-8").result(body);
    }

    private static void error(Context ctx, int status, String message) {
        json(ctx, status, JSON.createObjectNode().put("error", message));
    }

    private static void json(Context ctx, int status, ObjectNode body) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = Charts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
