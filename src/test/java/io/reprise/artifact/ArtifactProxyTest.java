package io.reprise.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.model.ErrorCode;
import io.reprise.testing.RawHttp;
import io.reprise.testing.TestServer;
import io.reprise.testing.TestServer.Response;
import io.reprise.tracking.ErrorBody;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mlflow-artifacts proxy over HTTP, answer for answer as MLflow's handlers give them. */
class ArtifactProxyTest {
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";

    @TempDir
    Path dir;

    private TestServer server;
    private Path root;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        root = dir.resolve("artifacts");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void uploadedBytesComeBackIdenticalAsAnAttachment() throws Exception {
        byte[] content = new byte[256 * 4];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }

        assertThat(put("1/run/artifacts/data.bin", content)).isEqualTo(new Response(200, "{}"));
        HttpResponse<byte[]> r = download("1/run/artifacts/data.bin");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(content);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"data.bin\"");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Content-Length")).hasValue("1024");
        assertThat(Files.readAllBytes(root.resolve("1/run/artifacts/data.bin"))).isEqualTo(content);
    }

    @Test
    void contentTypesFollowMlflowsGuesses() throws Exception {
        String[][] cases = {
            {"metrics.json", "text/plain"}, {"MLmodel", "text/plain"}, {"conda.yaml", "text/plain"},
            {"plot.png", "image/png"}, {"report.html", "text/html"}, {"weights.xyz", "application/octet-stream"}
        };
        for (String[] c : cases) {
            put("m/" + c[0], bytes("x"));
            HttpResponse<byte[]> r = download("m/" + c[0]);
            assertThat(r.headers().firstValue("Content-Type"))
                    .as(c[0])
                    .hasValueSatisfying(t -> assertThat(t).startsWith(c[1]));
            // even HTML is an attachment, never rendered on the server's origin
            assertThat(r.headers().firstValue("Content-Disposition"))
                    .as(c[0])
                    .hasValueSatisfying(d -> assertThat(d).startsWith("attachment;"));
        }
    }

    @Test
    void aNonAsciiFileNameIsSentAsRfc5987() throws Exception {
        put("m/r%C3%A9sum%C3%A9%20final.txt", bytes("ok"));

        HttpResponse<byte[]> r = download("m/r%C3%A9sum%C3%A9%20final.txt");

        assertThat(r.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"resume final.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20final.txt");
        assertThat(Files.readString(root.resolve("m/résumé final.txt"))).isEqualTo("ok");
    }

    @Test
    void namesKeepPlusSignsPercentsAndSemicolonsAsMlflowDoes() throws Exception {
        put("m/a+b;c%25.txt", bytes("1"));

        assertThat(root.resolve("m/a+b;c%.txt")).hasContent("1");
        assertThat(server.get(PROXY + "?path=m").body()).contains("\"path\":\"a+b;c%.txt\"");
    }

    @Test
    void listingGivesBaseNamesFolderFlagsAndSizes() {
        put("exp/run/artifacts/b.txt", bytes("abc"));
        put("exp/run/artifacts/c/d.txt", bytes("d"));

        Response r = server.get(PROXY + "?path=exp/run/artifacts");

        assertThat(r)
                .isEqualTo(new Response(
                        200,
                        "{\"files\":[{\"path\":\"b.txt\",\"is_dir\":false,\"file_size\":3},"
                                + "{\"path\":\"c\",\"is_dir\":true}]}"));
    }

    @Test
    void listingWithoutAPathListsTheRoot() {
        put("exp/x.txt", bytes("x"));

        assertThat(server.get(PROXY).body()).isEqualTo("{\"files\":[{\"path\":\"exp\",\"is_dir\":true}]}");
    }

    @Test
    void listingAMissingFolderOrAFileIsAnEmptyAnswer() {
        put("exp/x.txt", bytes("x"));

        assertThat(server.get(PROXY + "?path=no/such/folder")).isEqualTo(new Response(200, "{}"));
        assertThat(server.get(PROXY + "?path=exp/x.txt")).isEqualTo(new Response(200, "{}"));
    }

    @Test
    void downloadingWhatIsNotThereIs404AndAFolderIs400() {
        put("exp/x.txt", bytes("x"));

        assertThat(server.get(PROXY + "/exp/nope.txt"))
                .isEqualTo(new Response(
                        404,
                        ErrorBody.of(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No such artifact: 'exp/nope.txt'")
                                .toString()));
        assertThat(server.get(PROXY + "/exp"))
                .isEqualTo(new Response(
                        400,
                        ErrorBody.of(
                                        ErrorCode.INVALID_PARAMETER_VALUE,
                                        "Artifact path refers to a directory, not a file: 'exp'")
                                .toString()));
    }

    @Test
    void deleteRemovesAFileOrAWholeFolder() {
        put("exp/a/one.txt", bytes("1"));
        put("exp/a/deep/two.txt", bytes("2"));
        put("exp/keep.txt", bytes("k"));

        assertThat(delete("exp/a/one.txt")).isEqualTo(new Response(200, "{}"));
        assertThat(root.resolve("exp/a/one.txt")).doesNotExist();
        assertThat(delete("exp/a")).isEqualTo(new Response(200, "{}"));
        assertThat(root.resolve("exp/a")).doesNotExist();
        assertThat(root.resolve("exp/keep.txt")).hasContent("k");
    }

    @Test
    void deletingWhatIsNotThereSucceedsAsInMlflow() {
        assertThat(delete("exp/never-was.txt")).isEqualTo(new Response(200, "{}"));
    }

    @Test
    void theRootItselfCannotBeDeleted() {
        put("exp/x.txt", bytes("x"));

        for (String path : new String[] {".", "%2e", "./", "a/.."}) {
            assertThat(delete(path).status()).as(path).isEqualTo(400);
        }
        assertThat(root.resolve("exp/x.txt")).hasContent("x");
    }

    @Test
    void uploadReplacesAFileAndAcceptsAnEmptyBody() {
        put("exp/x.txt", bytes("old"));
        put("exp/x.txt", bytes("new"));
        put("exp/empty.txt", new byte[0]);

        assertThat(root.resolve("exp/x.txt")).hasContent("new");
        assertThat(root.resolve("exp/empty.txt")).isEmptyFile();
    }

    @Test
    void uploadsThatWouldClashWithTheTreeAreRefused() {
        put("exp/folder/x.txt", bytes("x"));
        put("exp/file.txt", bytes("f"));

        assertThat(put("exp/folder", bytes("y")).status()).isEqualTo(400);
        assertThat(put("exp/file.txt/child.txt", bytes("y")).status()).isEqualTo(400);
        assertThat(put("exp/.artifact.uploading.sneaky", bytes("y")).body())
                .contains("Artifact names starting with '.artifact.uploading.' are reserved");
        assertThat(root.resolve("exp/folder/x.txt")).hasContent("x");
        assertThat(root.resolve("exp/file.txt")).hasContent("f");
    }

    @Test
    void namesTheFileSystemCannotHoldAre400Not500() {
        String longName = "n".repeat(256);
        String deepPath = ("d".repeat(200) + "/").repeat(25) + "f.txt";

        assertThat(put("exp/" + longName, bytes("x")).body()).contains("Artifact path too long");
        assertThat(put("exp/" + deepPath, bytes("x")).body()).contains("Artifact path too long");
        assertThat(put("exp/" + "n".repeat(255), bytes("x")).status()).isEqualTo(200);
    }

    @Test
    void theAjaxAliasServesTheSameStore() {
        Response up = server.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/ajax-api/2.0/mlflow-artifacts/artifacts/a/x.txt"))
                        .PUT(HttpRequest.BodyPublishers.ofString("via ajax")));

        assertThat(up).isEqualTo(new Response(200, "{}"));
        assertThat(server.get(PROXY + "/a/x.txt").body()).isEqualTo("via ajax");
    }

    @Test
    void anUploadCutShortLeavesThePreviousFileAndNoLeftovers() throws Exception {
        put("exp/model.bin", bytes("version 1"));

        try (Socket s = RawHttp.begin(port(), head("exp/model.bin", 1_000_000))) {
            s.getOutputStream().write(bytes("the first bytes of version 2"));
            awaitTempFiles(root.resolve("exp"), true);
        }
        awaitTempFiles(root.resolve("exp"), false);

        assertThat(root.resolve("exp/model.bin")).hasContent("version 1");
        assertThat(server.get(PROXY + "?path=exp").body())
                .isEqualTo("{\"files\":[{\"path\":\"model.bin\",\"is_dir\":false,\"file_size\":9}]}");
    }

    @Test
    void readersSeeTheWholeOldFileUntilTheNewOneIsComplete() throws Exception {
        put("exp/model.bin", bytes("version 1"));
        byte[] v2 = "version 2, much longer than the first".getBytes(StandardCharsets.UTF_8);

        Socket s = RawHttp.begin(port(), head("exp/model.bin", v2.length));
        s.getOutputStream().write(v2, 0, 10);
        awaitTempFiles(root.resolve("exp"), true);

        assertThat(server.get(PROXY + "/exp/model.bin").body()).isEqualTo("version 1");
        s.getOutputStream().write(v2, 10, v2.length - 10);
        assertThat(RawHttp.finish(s).status()).isEqualTo(200);
        assertThat(server.get(PROXY + "/exp/model.bin").body()).isEqualTo(new String(v2, StandardCharsets.UTF_8));
    }

    private static byte[] head(String path, long length) {
        return ("PUT " + PROXY + "/" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void awaitTempFiles(Path folder, boolean present) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Stream<Path> files = Files.list(folder)) {
                if (files.anyMatch(p -> p.getFileName().toString().startsWith(".artifact.uploading.")) == present) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(
                "temp upload files " + (present ? "never appeared" : "were left behind") + " in " + folder);
    }

    private Response put(String path, byte[] content) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + PROXY + "/" + path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
    }

    private Response delete(String path) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + PROXY + "/" + path))
                .DELETE());
    }

    private HttpResponse<byte[]> download(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + PROXY + "/" + path))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private int port() {
        return URI.create(server.url()).getPort();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
