package io.reprise.artifact;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.reprise.model.MlflowException;
import io.reprise.model.RunInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * MLflow's artifact proxy ({@code /api/2.0/mlflow-artifacts/artifacts/...}) and the run-level
 * {@code artifacts/list} and {@code /get-artifact} endpoints, over a {@link LocalArtifactStore}.
 */
public final class ArtifactApi {
    /** The scheme of run artifact URIs that this server stores itself. */
    public static final String PROXY_SCHEME = "mlflow-artifacts:";

    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String AJAX_PROXY = "/ajax-api/2.0/mlflow-artifacts/artifacts";

    private final LocalArtifactStore store;
    private final Function<String, RunInfo> runs;
    private final ObjectMapper mapper;

    /** {@code runs} looks a run up by id (throwing RESOURCE_DOES_NOT_EXIST when unknown). */
    public ArtifactApi(LocalArtifactStore store, Function<String, RunInfo> runs, ObjectMapper mapper) {
        this.store = store;
        this.runs = runs;
        this.mapper = mapper;
    }

    public void mount(Javalin app) {
        for (String prefix : List.of(PROXY, AJAX_PROXY)) {
            app.addHttpHandler(HandlerType.GET, prefix, this::listProxy);
            app.addHttpHandler(HandlerType.GET, prefix + "/<path>", this::download);
            app.addHttpHandler(HandlerType.PUT, prefix + "/<path>", this::upload);
            app.addHttpHandler(HandlerType.DELETE, prefix + "/<path>", this::delete);
        }
        for (String prefix : List.of("/api/2.0/mlflow", "/ajax-api/2.0/mlflow")) {
            app.addHttpHandler(HandlerType.GET, prefix + "/artifacts/list", this::listRun);
        }
        app.addHttpHandler(HandlerType.GET, "/get-artifact", this::getRunArtifact);
    }

    private void upload(Context ctx) throws IOException {
        try (InputStream in = ctx.bodyInputStream()) {
            store.put(ctx.pathParam("path"), in);
        }
        json(ctx, mapper.createObjectNode());
    }

    private void download(Context ctx) {
        sendFile(ctx, store.file(ctx.pathParam("path")));
    }

    private void sendFile(Context ctx, Path file) {
        String name = file.getFileName().toString();
        String type = URLConnection.guessContentTypeFromName(name);
        ctx.contentType(type == null ? "application/octet-stream" : type);
        ctx.header("Content-Disposition", "attachment; filename=\"" + name.replace("\"", "") + "\"");
        ctx.header("X-Content-Type-Options", "nosniff");
        try {
            ctx.header("Content-Length", String.valueOf(Files.size(file)));
            ctx.result(Files.newInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void delete(Context ctx) {
        store.delete(ctx.pathParam("path"));
        json(ctx, mapper.createObjectNode());
    }

    private void listProxy(Context ctx) {
        String dir = ctx.queryParam("path");
        ObjectNode body = mapper.createObjectNode();
        List<LocalArtifactStore.Entry> entries = store.list(dir == null ? "" : dir);
        if (!entries.isEmpty()) {
            ArrayNode files = body.putArray("files");
            for (LocalArtifactStore.Entry e : entries) {
                // the proxy lists base names; the client joins them to the folder it asked for
                files.add(fileInfo(Path.of(e.path()).getFileName().toString(), e));
            }
        }
        json(ctx, body);
    }

    private void listRun(Context ctx) {
        String runId = runIdParam(ctx);
        String path = ctx.queryParam("path");
        String rel = SafePath.relative(path);
        RunInfo run = runs.apply(runId);
        String runRoot = proxyRoot(run);
        ObjectNode body = mapper.createObjectNode();
        body.put("root_uri", run.artifactUri());
        List<LocalArtifactStore.Entry> entries = store.list(rel.isEmpty() ? runRoot : runRoot + "/" + rel);
        if (!entries.isEmpty()) {
            ArrayNode files = body.putArray("files");
            for (LocalArtifactStore.Entry e : entries) {
                files.add(fileInfo(e.path().substring(runRoot.length() + 1), e));
            }
        }
        json(ctx, body);
    }

    private void getRunArtifact(Context ctx) {
        String runId = runIdParam(ctx);
        String path = ctx.queryParam("path");
        if (path == null || path.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'path'.");
        }
        String rel = SafePath.relative(path);
        sendFile(ctx, store.file(proxyRoot(runs.apply(runId)) + "/" + rel));
    }

    private static String runIdParam(Context ctx) {
        String runId = ctx.queryParam("run_id");
        if (runId == null || runId.isEmpty()) {
            runId = ctx.queryParam("run_uuid");
        }
        if (runId == null || runId.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'.");
        }
        return runId;
    }

    /** The store-relative folder of a run's artifacts; only runs whose artifacts this server holds. */
    private static String proxyRoot(RunInfo run) {
        String uri = run.artifactUri();
        if (!uri.startsWith(PROXY_SCHEME)) {
            throw MlflowException.invalid(
                    "The artifacts of run %s are stored at '%s', which this server does not serve; read them from"
                            + " that location directly.",
                    run.runId(), uri);
        }
        // mlflow-artifacts:/1/<run>/artifacts: the path is absolute within the proxy's root
        String path = uri.substring(PROXY_SCHEME.length()).replaceFirst("^/+", "");
        return SafePath.relative(path);
    }

    private ObjectNode fileInfo(String path, LocalArtifactStore.Entry e) {
        ObjectNode f = mapper.createObjectNode();
        f.put("path", path);
        f.put("is_dir", e.isDir());
        if (!e.isDir()) {
            f.put("file_size", e.size());
        }
        return f;
    }

    private void json(Context ctx, ObjectNode body) {
        ctx.contentType("application/json").result(body.toString());
    }
}
