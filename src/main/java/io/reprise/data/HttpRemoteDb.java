package io.reprise.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A read-only DVC remote served over HTTP(S) ({@code https://host/path/files/md5/ab/cdef...}), for
 * fetch and pull; push to it is refused. Basic authentication ({@code auth = basic} with {@code user}
 * and {@code password}) and a custom header ({@code auth = custom}, {@code custom_auth_header},
 * {@code password}) are read from the remote's options, as dvc-http reads them.
 */
final class HttpRemoteDb implements RemoteDb {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final String base;
    private final String authHeader;
    private final String authValue;
    private final HttpClient http;
    // "/files/md5/" (DVC 3.x), or "/" for the 2.x layout's view, which leaves the client to its owner.
    private final String objectsPath;

    private HttpRemoteDb(String name, String base, String authHeader, String authValue) {
        this(
                name,
                base,
                authHeader,
                authValue,
                HttpClient.newBuilder()
                        .connectTimeout(TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build(),
                "/files/md5/");
    }

    private HttpRemoteDb(
            String name, String base, String authHeader, String authValue, HttpClient http, String objectsPath) {
        this.name = name;
        this.base = base;
        this.authHeader = authHeader;
        this.authValue = authValue;
        this.http = http;
        this.objectsPath = objectsPath;
    }

    @Override
    public RemoteDb legacy() {
        return new HttpRemoteDb(name, base, authHeader, authValue, http, "/");
    }

    static HttpRemoteDb open(String name, String url, Map<String, String> options) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            URI.create(base + "/files");
        } catch (IllegalArgumentException e) {
            throw new DataException("Remote '" + name + "': '" + url + "' is not a valid URL.");
        }
        String auth = options.getOrDefault("auth", "");
        return switch (auth) {
            case "" -> new HttpRemoteDb(name, base, null, null);
            case "basic" -> new HttpRemoteDb(name, base, "Authorization", basic(options));
            case "custom" ->
                new HttpRemoteDb(
                        name, base, require(name, options, "custom_auth_header"), require(name, options, "password"));
            default ->
                throw new DataException("Remote '" + name + "': auth = " + auth
                        + " is not supported; use basic or custom, or fetch with dvc.");
        };
    }

    private static String basic(Map<String, String> options) {
        String pair = options.getOrDefault("user", "") + ":" + options.getOrDefault("password", "");
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String require(String name, Map<String, String> options, String key) {
        String v = options.get(key);
        if (v == null) {
            throw new DataException("Remote '" + name + "' needs '" + key + "' for auth = custom; set it with"
                    + " 'dvc remote modify --local " + name + " " + key + " ...'.");
        }
        return v;
    }

    private URI uri(String oid) {
        return URI.create(base + objectsPath + Oids.relativePath(oid));
    }

    private HttpRequest.Builder request(String oid) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(oid)).timeout(Duration.ofMinutes(10));
        if (authHeader != null) {
            b.header(authHeader, authValue);
        }
        return b;
    }

    @Override
    public boolean has(String oid) throws IOException {
        HttpResponse<Void> r = send(
                request(oid).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                oid,
                HttpResponse.BodyHandlers.discarding());
        return switch (r.statusCode()) {
            case 200 -> true;
            case 404, 410 -> false;
            default -> throw status(r.statusCode(), oid);
        };
    }

    @Override
    public byte[] read(String oid) throws IOException {
        HttpResponse<byte[]> r = send(request(oid).GET(), oid, HttpResponse.BodyHandlers.ofByteArray());
        return switch (r.statusCode()) {
            case 200 -> r.body();
            case 404, 410 -> throw new NoSuchFileException(uri(oid).toString());
            default -> throw status(r.statusCode(), oid);
        };
    }

    @Override
    public void download(String oid, ObjectDb cache, LongConsumer progress) throws IOException {
        HttpResponse<InputStream> r = send(request(oid).GET(), oid, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            switch (r.statusCode()) {
                case 200 -> cache.receive(oid, Channels.newChannel(in), location(), progress);
                case 404, 410 -> throw new ObjectDb.MissingObjectException(oid, location());
                default -> throw status(r.statusCode(), oid);
            }
        }
    }

    @Override
    public void upload(ObjectDb cache, String oid, LongConsumer progress) {
        throw readOnly(name, base);
    }

    static DataException readOnly(String name, String url) {
        return new DataException("Remote '" + name + "' (" + url + ") is an HTTP remote, which is read-only here:"
                + " push to an S3 or local remote instead.");
    }

    @Override
    public boolean writable() {
        return false;
    }

    @Override
    public String location() {
        return base;
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder req, String oid, HttpResponse.BodyHandler<T> body)
            throws IOException {
        try {
            return http.send(req.build(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("Interrupted.", e);
        } catch (IOException e) {
            throw new IOException("cannot reach " + uri(oid) + ": " + e.getMessage(), e);
        }
    }

    private IOException status(int code, String oid) {
        String hint = code == 401 || code == 403 ? "; check the remote's auth, user and password" : "";
        return new IOException("HTTP " + code + " from " + uri(oid) + hint);
    }

    @Override
    public void close() {
        if (!objectsPath.equals("/")) {
            http.close();
        }
    }
}
