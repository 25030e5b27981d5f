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
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;

/**
 * MLflow's artifact proxy ({@code /api/2.0/mlflow-artifacts/artifacts/...}) and the run-level
 * {@code artifacts/list} and {@code /get-artifact} endpoints, over an {@link ArtifactStore} (a local folder or S3).
 */
public final class ArtifactApi {
    /** The scheme of run artifact URIs that this server stores itself. */
    public static final String PROXY_SCHEME = ProxiedRoots.SCHEME;

    /** Path prefixes of the proxy; uploads there are streamed, so no request-size limit applies. */
    public static final List<String> PROXY_PREFIXES =
            List.of("/api/2.0/mlflow-artifacts/artifacts", "/ajax-api/2.0/mlflow-artifacts/artifacts");

    private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9a-fA-F]{2})");

    private final ArtifactStore store;
    private final Function<String, RunInfo> runs;
    private final ObjectMapper mapper;

    /** {@code runs} looks a run up by id (throwing RESOURCE_DOES_NOT_EXIST when unknown). */
    public ArtifactApi(ArtifactStore store, Function<String, RunInfo> runs, ObjectMapper mapper) {
        this.store = store;
        this.runs = runs;
        this.mapper = mapper;
    }

    public void mount(Javalin app) {
        for (String prefix : PROXY_PREFIXES) {
            app.before(prefix + "/*", ArtifactApi::refuseUnparseablePath);
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

    /**
     * Refuses, before routing decodes them, artifact paths that cannot be decoded or would be cut:
     * a raw '#' in a request line is not HTTP, and Jetty would silently drop it and everything after
     * (so "x#frag" would land on "x"); a '%' escape that is not two hex digits ("%u002e", which Jetty
     * lets through) would make Javalin's decoding throw, a 500.
     */
    private static void refuseUnparseablePath(Context ctx) {
        // the request's own URI has lost the fragment by now; the parsed request line still has it
        Request base = Request.getBaseRequest(ctx.req());
        if (base != null
                && base.getMetaData() != null
                && base.getMetaData().getURI().getFragment() != null) {
            throw SafePath.invalid();
        }
        if (BAD_ESCAPE.matcher(ctx.path()).find()) {
            throw SafePath.invalid();
        }
    }

    private void upload(Context ctx) throws IOException {
        try (InputStream in = ctx.bodyInputStream()) {
            store.put(ctx.pathParam("path"), in);
        }
        json(ctx, mapper.createObjectNode());
    }

    private void download(Context ctx) throws IOException {
        sendFile(ctx, store.open(ctx.pathParam("path")));
    }

    // Streamed straight to the socket: never buffered whole, never compressed (which would make the
    // Content-Length wrong), always an attachment so a browser does not render it on our origin.
    private static void sendFile(Context ctx, ArtifactStore.Download file) throws IOException {
        try (file) {
            ctx.res().setContentType(MimeTypes.of(file.name()));
            ctx.res().setContentLengthLong(file.size());
            ctx.res().setHeader("Content-Disposition", MimeTypes.attachment(file.name()));
            ctx.res().setHeader("X-Content-Type-Options", "nosniff");
            OutputStream out = ctx.res().getOutputStream();
            file.content().transferTo(out);
            out.flush();
        }
    }

    private void delete(Context ctx) {
        store.delete(ctx.pathParam("path"));
        json(ctx, mapper.createObjectNode());
    }

    private void listProxy(Context ctx) {
        String dir = ctx.queryParam("path");
        ObjectNode body = mapper.createObjectNode();
        List<ArtifactStore.Entry> entries = store.list(dir == null ? "" : dir);
        if (!entries.isEmpty()) {
            ArrayNode files = body.putArray("files");
            for (ArtifactStore.Entry e : entries) {
                // the proxy lists base names; the client joins them to the folder it asked for
                files.add(fileInfo(Path.of(e.path()).getFileName().toString(), e));
            }
        }
        json(ctx, body);
    }

    private void listRun(Context ctx) {
        String runId = runIdParam(ctx);
        String rel = SafePath.relative(ctx.queryParam("path"));
        RunInfo run = runs.apply(runId);
        String runRoot = proxyRoot(run);
        ObjectNode body = mapper.createObjectNode();
        body.put("root_uri", run.artifactUri());
        List<ArtifactStore.Entry> entries = store.list(join(runRoot, rel));
        if (!entries.isEmpty()) {
            ArrayNode files = body.putArray("files");
            for (ArtifactStore.Entry e : entries) {
                String name = Path.of(e.path()).getFileName().toString();
                files.add(fileInfo(join(rel, name), e));
            }
        }
        json(ctx, body);
    }

    /**
     * The listing of a folder under an artifact URI this server stores (a logged model's, for
     * {@code logged-models/{id}/artifacts/directories}): {@code root_uri} and the files, paths
     * relative to the root. {@code owner} names the URI's owner in the error for other schemes.
     */
    public ObjectNode listUnder(String owner, String artifactUri, String relativeDir) {
        String rel = SafePath.relative(relativeDir);
        ObjectNode body = mapper.createObjectNode();
        body.put("root_uri", artifactUri);
        List<ArtifactStore.Entry> entries = store.list(join(proxyRoot(owner, artifactUri), rel));
        if (!entries.isEmpty()) {
            ArrayNode files = body.putArray("files");
            for (ArtifactStore.Entry e : entries) {
                files.add(fileInfo(join(rel, Path.of(e.path()).getFileName().toString()), e));
            }
        }
        return body;
    }

    private void getRunArtifact(Context ctx) throws IOException {
        String runId = runIdParam(ctx);
        String path = ctx.queryParam("path");
        if (path == null || path.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'path'.");
        }
        String rel = SafePath.relative(path);
        sendFile(ctx, store.open(join(proxyRoot(runs.apply(runId)), rel)));
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : name.isEmpty() ? dir : dir + "/" + name;
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

    /**
     * The store-relative folder of a run's artifacts. Only {@code mlflow-artifacts:} runs are served:
     * any other URI (a local path, file:, s3:...) is never read from this server's disk.
     */
    static String proxyRoot(RunInfo run) {
        return proxyRoot("run " + run.runId(), run.artifactUri());
    }

    private static String proxyRoot(String owner, String uri) {
        if (!uri.startsWith(PROXY_SCHEME)) {
            throw MlflowException.invalid(
                    "The artifacts of %s are stored at '%s', which this server does not serve; read them from"
                            + " that location directly.",
                    owner, uri);
        }
        String path = uri.substring(PROXY_SCHEME.length());
        if (path.startsWith("//")) {
            // mlflow-artifacts://host:port/path: only the path names a folder, as in MLflow
            int slash = path.indexOf('/', 2);
            path = slash < 0 ? "" : path.substring(slash);
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        String rel = SafePath.relative(path);
        if (rel.isEmpty()) {
            throw SafePath.invalid();
        }
        return rel;
    }

    private ObjectNode fileInfo(String path, ArtifactStore.Entry e) {
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
