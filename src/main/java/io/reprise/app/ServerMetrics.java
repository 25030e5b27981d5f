package io.reprise.app;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.reprise.store.TrackingStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Prometheus metrics at {@code /metrics}: request latency by route template (never by raw path,
 * which would make one series per run id), store call latency by operation, and the JVM's
 * memory, GC and thread figures a platform engineer sizes the server with.
 */
final class ServerMetrics {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String STARTED = "reprise.metrics.started";
    private static final double[] BUCKETS = {.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram requests = Histogram.builder()
            .name("reprise_http_request_duration_seconds")
            .help("Time to answer an HTTP request, by method, route template and status")
            .labelNames("method", "route", "status")
            .classicOnly()
            .classicUpperBounds(BUCKETS)
            .register(registry);
    private final Histogram storeCalls = Histogram.builder()
            .name("reprise_store_call_duration_seconds")
            .help("Time spent in the tracking store (database), by operation")
            .labelNames("operation")
            .classicOnly()
            .classicUpperBounds(BUCKETS)
            .register(registry);

    ServerMetrics() {
        // JvmMetrics.builder() minus its native-memory metrics: those run a diagnostic command at
        // start (a twelfth of the start-up time) and report nothing unless the JVM runs with
        // -XX:NativeMemoryTracking, which the launcher does not use.
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryPoolAllocationMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    /** Times every request and serves the scrape. */
    void mount(Javalin app) {
        app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        app.after(this::observe);
        app.get("/metrics", ctx -> ctx.contentType(CONTENT_TYPE).result(scrape()));
    }

    /** The store with each call timed. */
    TrackingStore timed(TrackingStore store) {
        return (TrackingStore) Proxy.newProxyInstance(
                TrackingStore.class.getClassLoader(), new Class<?>[] {TrackingStore.class}, (proxy, method, args) -> {
                    long t0 = System.nanoTime();
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (method.getDeclaringClass() == TrackingStore.class) {
                            storeCalls.labelValues(method.getName()).observe(seconds(t0));
                        }
                    }
                });
    }

    private void observe(Context ctx) {
        Long t0 = ctx.attribute(STARTED);
        if (t0 != null) {
            requests.labelValues(ctx.method().name(), route(ctx), Integer.toString(ctx.statusCode()))
                    .observe(seconds(t0));
        }
    }

    private static String route(Context ctx) {
        try {
            // Javalin answers a sentence, not a path, when no route matched.
            String path = ctx.endpointHandlerPath();
            return path.startsWith("/") ? path : "unmatched";
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    private byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return out.toByteArray();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
