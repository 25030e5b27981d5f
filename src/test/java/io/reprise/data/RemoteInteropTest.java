package io.reprise.data;

import static io.reprise.data.Tools.git;
import static io.reprise.data.Tools.reprise;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import io.reprise.testing.S3Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 and HTTP remotes with the real dvc (and dvc-s3) on the same repositories: pushed by one tool,
 * pulled by the other, through a real S3 server configured as dvc's config files say.
 */
class RemoteInteropTest {
    private static final String UP_TO_DATE = "Data and pipelines are up to date.";

    @RegisterExtension
    static final S3Server s3 = new S3Server();

    @TempDir
    Path tmp;

    /**
     * dvc with botocore's checksums limited to where S3 requires them, as for many S3-compatible
     * stores: s3proxy refuses the CRC headers newer botocore sends by default.
     */
    private static Tools.Result dvc(Path dir, String... args) {
        List<String> cmd =
                new ArrayList<>(List.of(Tools.venvBin().resolve("dvc").toString()));
        cmd.addAll(List.of(args));
        return Tools.run(
                dir,
                Map.of(
                        "AWS_REQUEST_CHECKSUM_CALCULATION", "when_required",
                        "AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required"),
                cmd.toArray(String[]::new));
    }

    private static List<String> outputs() {
        List<String> outs = new ArrayList<>(List.of(Fixtures.FILE_OUTPUTS));
        outs.add("data");
        return outs;
    }

    private static String[] withArgs(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    private Path gitRepo(String name) {
        Path dir = tmp.resolve(name);
        Fixtures.mkdirs(dir);
        git(dir, "init", "-q").ok();
        return dir;
    }

    /** The endpoint in the shared config, the keys in config.local (never committed), as a team would. */
    private static void configureS3(Path repo, String remote) {
        dvc(repo, "remote", "modify", remote, "endpointurl", s3.endpoint()).ok();
        credentials(repo, remote);
    }

    private static void credentials(Path repo, String remote) {
        dvc(repo, "remote", "modify", "--local", remote, "access_key_id", S3Server.ACCESS_KEY)
                .ok();
        dvc(repo, "remote", "modify", "--local", remote, "secret_access_key", S3Server.SECRET_KEY)
                .ok();
    }

    private Path cloneOf(Path origin) {
        git(origin, "add", "-A").ok();
        git(origin, "commit", "-qm", "data").ok();
        Path clone = tmp.resolve("clone");
        git(tmp, "clone", "-q", origin.toString(), clone.toString()).ok();
        return clone;
    }

    @Test
    void dataPushedToS3ByDvcIsInSyncAndPullableWithReprise() throws IOException {
        String bucket = s3.createBucket();
        Path origin = gitRepo("origin");
        dvc(origin, "init", "-q").ok();
        Fixtures.create(origin);
        dvc(origin, withArgs("add", outputs())).ok();
        dvc(origin, "remote", "add", "-d", "s3r", "s3://" + bucket + "/team/store")
                .ok();
        configureS3(origin, "s3r");
        dvc(origin, "push").ok();
        Map<String, String> expected = Fixtures.snapshot(origin, "emptydir");

        assertThat(keys(bucket))
                .allMatch(k -> k.startsWith("team/store/files/md5/"))
                .isNotEmpty();
        assertThat(reprise(origin, "status", "-c").ok().out().strip()).isEqualTo("Cache and remote 's3r' are in sync.");

        Path clone = cloneOf(origin);
        credentials(clone, "s3r");
        Tools.Result pull = reprise(clone, "pull").ok();
        assertThat(pull.out()).contains("files fetched");
        assertThat(Fixtures.snapshot(clone, "emptydir")).isEqualTo(expected);
        assertThat(reprise(clone, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(dvc(clone, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        assertThat(Fixtures.contents(clone.resolve(".dvc/cache")))
                .isEqualTo(Fixtures.contents(origin.resolve(".dvc/cache")));
    }

    @Test
    void dataPushedToS3ByRepriseIsInSyncAndPullableWithDvc() {
        String bucket = s3.createBucket();
        Path origin = gitRepo("origin");
        reprise(origin, "init").ok();
        Fixtures.create(origin);
        reprise(origin, withArgs("add", outputs())).ok();
        reprise(origin, "remote", "add", "-d", "s3r", "s3://" + bucket + "/store")
                .ok();
        reprise(origin, "remote", "modify", "s3r", "endpointurl", s3.endpoint()).ok();
        reprise(origin, "remote", "modify", "--local", "s3r", "access_key_id", S3Server.ACCESS_KEY)
                .ok();
        reprise(origin, "remote", "modify", "--local", "s3r", "secret_access_key", S3Server.SECRET_KEY)
                .ok();

        assertThat(reprise(origin, "push").ok().out()).contains("files pushed");
        assertThat(reprise(origin, "push").ok().out().strip()).isEqualTo("Everything is up to date.");
        assertThat(keys(bucket)).allMatch(k -> k.startsWith("store/files/md5/")).isNotEmpty();
        assertThat(dvc(origin, "status", "-c").ok().out().strip()).isEqualTo("Cache and remote 's3r' are in sync.");
        assertThat(dvc(origin, "push").ok().out().strip()).isEqualTo("Everything is up to date.");
        Map<String, String> expected = Fixtures.snapshot(origin, "emptydir");

        Path clone = cloneOf(origin);
        credentials(clone, "s3r");
        dvc(clone, "pull").ok();
        assertThat(Fixtures.snapshot(clone, "emptydir")).isEqualTo(expected);
        assertThat(dvc(clone, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }

    /** dvc 3 keeps DVC 2.x entries' objects below the remote's path as ab/cdef..., not below files/md5/. */
    @Test
    void twoXEntriesUseTheBucketsTwoXLayoutBothWays() throws IOException {
        String bucket = s3.createBucket();
        Path repo = LegacyCacheTest.legacyRepo(tmp.resolve("repo"));
        Map<String, String> expected = Fixtures.snapshot(repo);
        dvc(repo, "remote", "add", "-d", "s3r", "s3://" + bucket + "/store").ok();
        configureS3(repo, "s3r");

        assertThat(reprise(repo, "push").ok().out()).contains("files pushed");
        assertThat(keys(bucket)).hasSize(5).allMatch(k -> k.matches("store/[0-9a-f]{2}/[0-9a-f]{30}(\\.dir)?"));
        assertThat(dvc(repo, "status", "-c").ok().out().strip()).isEqualTo("Cache and remote 's3r' are in sync.");
        assertThat(reprise(repo, "status", "-c").ok().out().strip()).isEqualTo("Cache and remote 's3r' are in sync.");

        LegacyCacheTest.clearData(repo);
        dvc(repo, "pull").ok();
        assertThat(Fixtures.snapshot(repo)).isEqualTo(expected);

        LegacyCacheTest.clearData(repo);
        assertThat(reprise(repo, "pull").ok().out()).contains("files fetched");
        assertThat(Fixtures.snapshot(repo)).isEqualTo(expected);
        assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
    }

    /** Past 64 objects, one listing of the remote replaces a HEAD per object: the answer must not change. */
    @Test
    void aPushOfManyObjectsSendsOnlyWhatTheBucketLacks() {
        String bucket = s3.createBucket();
        Path origin = gitRepo("origin");
        reprise(origin, "init").ok();
        for (int i = 0; i < 70; i++) {
            Fixtures.write(origin.resolve("first/f" + i), "shared " + i + "\n");
        }
        reprise(origin, "add", "first").ok();
        reprise(origin, "remote", "add", "-d", "s3r", "s3://" + bucket + "/store")
                .ok();
        configureS3(origin, "s3r");
        assertThat(reprise(origin, "push").ok().out().strip()).isEqualTo("71 files pushed");
        for (int i = 0; i < 70; i++) {
            Fixtures.write(origin.resolve("second/g" + i), (i % 2 == 0 ? "shared " : "new ") + i + "\n");
        }
        reprise(origin, "add", "second").ok();

        // 35 new files and the folder's manifest; the 35 shared ones are already there
        assertThat(reprise(origin, "push").ok().out().strip()).isEqualTo("36 files pushed");
        assertThat(keys(bucket)).hasSize(71 + 36);
        assertThat(dvc(origin, "status", "-c").ok().out().strip()).isEqualTo("Cache and remote 's3r' are in sync.");
    }

    /** A folder of 70 files pushed to S3, then 10 of them changed, re-added and pushed: 82 objects. */
    private Path s3RepoWithHistory(String bucket) {
        Path origin = gitRepo("origin");
        reprise(origin, "init").ok();
        for (int i = 0; i < 70; i++) {
            Fixtures.write(origin.resolve("data/f" + i), "first " + i + "\n");
        }
        reprise(origin, "add", "data").ok();
        reprise(origin, "remote", "add", "-d", "s3r", "s3://" + bucket + "/store")
                .ok();
        configureS3(origin, "s3r");
        reprise(origin, "push").ok();
        for (int i = 0; i < 10; i++) {
            Fixtures.write(origin.resolve("data/f" + i), "second " + i + "\n");
        }
        reprise(origin, "add", "data").ok();
        reprise(origin, "push").ok();
        assertThat(keys(bucket)).hasSize(71 + 11);
        return origin;
    }

    @Test
    void gcWithCloudRemovesFromS3WhatNothingUsesAsDvcGcDoes() {
        String bucket = s3.createBucket();
        Path origin = s3RepoWithHistory(bucket);

        Tools.Result dry = reprise(origin, "gc", "-w", "-c", "--dry").ok();
        assertThat(keys(bucket)).hasSize(82);
        Tools.Result gc = reprise(origin, "gc", "-w", "-c", "-f").ok();

        // the 10 replaced files and the first manifest are gone; what the workspace uses stays
        assertThat(keys(bucket)).hasSize(71);
        assertThat(dry.out().lines().filter(l -> l.startsWith("Removing s3://" + bucket + "/store/files/md5/")))
                .hasSize(11);
        assertThat(gc.out()).contains("Removed 11 objects from remote.");
        assertThat(dvc(origin, "status", "-c").ok().out().strip()).isEqualTo("Cache and remote 's3r' are in sync.");
        List<String> after = keys(bucket);
        dvc(origin, "gc", "-w", "-c", "-f").ok();
        assertThat(keys(bucket)).as("dvc gc finds nothing more to remove").isEqualTo(after);
    }

    @Test
    void statusOfManyObjectsOnS3ListsThemAndAgreesWithDvc() {
        String bucket = s3.createBucket();
        Path origin = s3RepoWithHistory(bucket);
        assertThat(reprise(origin, "status", "-c").ok().out().strip()).isEqualTo("Cache and remote 's3r' are in sync.");

        String f42 = Md5.of("first 42\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        s3.client()
                .deleteObject(
                        b -> b.bucket(bucket).key("store/files/md5/" + f42.substring(0, 2) + "/" + f42.substring(2)));
        Fixtures.write(origin.resolve("data/f3"), "third 3\n");
        reprise(origin, "add", "data").ok();

        Tools.Result status = reprise(origin, "status", "-c").ok();
        assertThat(status.out()).contains("new:").contains("data/f3").contains("data/f42");
        assertThat(status.out().lines().sorted().toList())
                .isEqualTo(
                        dvc(origin, "status", "-c").ok().out().lines().sorted().toList());
    }

    @Test
    void aRemoteInAMissingBucketIsOneLineNotAStackTrace() {
        Path origin = gitRepo("origin");
        reprise(origin, "init").ok();
        Fixtures.write(origin.resolve("f.txt"), "x");
        reprise(origin, "add", "f.txt").ok();
        reprise(origin, "remote", "add", "-d", "s3r", "s3://no-such-bucket/x").ok();
        configureS3(origin, "s3r");

        Tools.Result push = reprise(origin, "push");

        assertThat(push.exitCode()).isEqualTo(2);
        assertThat(push.err().strip())
                .startsWith("reprise data push: Remote 's3r': bucket 'no-such-bucket' does not exist")
                .doesNotContain("\n");
    }

    // An HTTP server of the files below root, on a loopback port, started.
    private static HttpServer fileServer(Path root) {
        HttpServer http = SimpleFileServer.createFileServer(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                root.toAbsolutePath(),
                SimpleFileServer.OutputLevel.NONE);
        http.start();
        return http;
    }

    @Test
    void anHttpRemoteServesPullsButRefusesPushes() throws IOException {
        Path origin = gitRepo("origin");
        Path store = tmp.resolve("store");
        reprise(origin, "init").ok();
        Fixtures.create(origin);
        reprise(origin, withArgs("add", outputs())).ok();
        reprise(origin, "remote", "add", "-d", "local", store.toString()).ok();
        reprise(origin, "push").ok();
        Map<String, String> expected = Fixtures.snapshot(origin, "emptydir");
        Path clone = cloneOf(origin);

        HttpServer http = fileServer(store);
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/";
            reprise(clone, "remote", "add", "-d", "web", url).ok();

            Tools.Result pull = reprise(clone, "pull").ok();
            assertThat(pull.out()).contains("files fetched");
            assertThat(Fixtures.snapshot(clone, "emptydir")).isEqualTo(expected);
            assertThat(dvc(clone, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);

            Tools.Result gc = reprise(clone, "gc", "-w", "-c", "-f");
            assertThat(gc.exitCode()).isEqualTo(2);
            assertThat(gc.err().strip().lines().toList().getLast())
                    .startsWith("reprise data gc: Objects cannot be listed or removed on "
                            + url.substring(0, url.length() - 1))
                    .contains("read-only");
            assertThat(Fixtures.snapshot(clone, "emptydir")).isEqualTo(expected);

            Tools.Result push = reprise(clone, "push");
            assertThat(push.exitCode()).isEqualTo(2);
            assertThat(push.err().strip())
                    .isEqualTo("reprise data push: Remote 'web' (" + url.substring(0, url.length() - 1)
                            + ") is an HTTP remote, which is read-only here: push to an S3 or local remote instead.");
        } finally {
            http.stop(0);
        }
    }

    /** dvc 3 pushes 2.x entries' objects to a remote's ab/cdef... layout; over HTTP they are read there too. */
    @Test
    void twoXEntriesArePulledFromAnHttpRemote() throws IOException {
        Path repo = LegacyCacheTest.legacyRepo(tmp.resolve("repo"));
        Map<String, String> expected = Fixtures.snapshot(repo);
        Path store = tmp.resolve("store");
        dvc(repo, "remote", "add", "local", store.toString()).ok();
        dvc(repo, "push", "-r", "local").ok();
        HttpServer http = fileServer(store);
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort();
            reprise(repo, "remote", "add", "-d", "web", url).ok();
            assertThat(reprise(repo, "status", "-c").ok().out().strip())
                    .isEqualTo("Cache and remote 'web' are in sync.");

            LegacyCacheTest.clearData(repo);
            assertThat(reprise(repo, "pull").ok().out()).contains("files fetched");
            assertThat(Fixtures.snapshot(repo)).isEqualTo(expected);
            assertThat(dvc(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
            assertThat(reprise(repo, "status").ok().out().strip()).isEqualTo(UP_TO_DATE);
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aCorruptedObjectOnAnHttpRemoteIsRefusedAndNeverCached() throws IOException {
        Path origin = gitRepo("origin");
        Path store = tmp.resolve("store");
        reprise(origin, "init").ok();
        Fixtures.write(origin.resolve("model.bin"), "the real weights\n");
        reprise(origin, "add", "model.bin").ok();
        reprise(origin, "remote", "add", "-d", "local", store.toString()).ok();
        reprise(origin, "push").ok();
        Path clone = cloneOf(origin);
        String oid = Md5.of("the real weights\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path object = store.resolve("files/md5/" + oid.substring(0, 2) + "/" + oid.substring(2));
        object.toFile().setWritable(true);
        Files.writeString(object, "tampered\n");

        HttpServer http = fileServer(store);
        try {
            reprise(
                            clone,
                            "remote",
                            "add",
                            "-d",
                            "web",
                            "http://127.0.0.1:" + http.getAddress().getPort())
                    .ok();

            Tools.Result pull = reprise(clone, "pull");

            assertThat(pull.exitCode()).isEqualTo(2);
            assertThat(pull.err())
                    .contains("Object " + oid + " in http://127.0.0.1:")
                    .contains("is corrupted");
            assertThat(clone.resolve("model.bin")).doesNotExist();
            try (Stream<Path> cached = Files.walk(clone.resolve(".dvc/cache"))) {
                assertThat(cached.filter(Files::isRegularFile).toList()).isEmpty();
            }
        } finally {
            http.stop(0);
        }
    }

    @Test
    void remoteModifyWritesBothConfigFilesAsDvcWritesThem() {
        Path byDvc = gitRepo("dvc");
        Path byReprise = gitRepo("reprise");
        dvc(byDvc, "init", "-q").ok();
        reprise(byReprise, "init").ok();
        List<List<String>> steps = List.of(
                List.of("remote", "add", "-d", "s3r", "s3://bucket/path"),
                List.of("remote", "modify", "s3r", "endpointurl", "http://minio:9000"),
                List.of("remote", "modify", "s3r", "region", "eu-west-1"),
                List.of("remote", "modify", "--local", "s3r", "access_key_id", "AKIA with space"),
                List.of("remote", "modify", "--local", "s3r", "secret_access_key", "s3cr#t;x"),
                List.of("remote", "modify", "s3r", "--unset", "region"),
                List.of("remote", "add", "web", "https://example.com/dvc"),
                List.of("remote", "modify", "web", "auth", "basic"));
        for (List<String> step : steps) {
            dvc(byDvc, step.toArray(String[]::new)).ok();
            reprise(byReprise, step.toArray(String[]::new)).ok();
            assertThat(Fixtures.read(byReprise.resolve(".dvc/config")))
                    .as("config after %s", step)
                    .isEqualTo(Fixtures.read(byDvc.resolve(".dvc/config")));
            assertThat(readIfExists(byReprise.resolve(".dvc/config.local")))
                    .as("config.local after %s", step)
                    .isEqualTo(readIfExists(byDvc.resolve(".dvc/config.local")));
        }
        Tools.Result unknown = reprise(byReprise, "remote", "modify", "s3r", "colour", "blue");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("reprise data remote modify: Unknown option 'colour' for remote 's3r'");
        Tools.Result missing = reprise(byReprise, "remote", "modify", "nope", "region", "x");
        assertThat(missing.err().strip())
                .isEqualTo("reprise data remote modify: remote 'nope' doesn't exist; list them with"
                        + " 'reprise data remote list'.");
    }

    private static String readIfExists(Path p) {
        return Files.exists(p) ? Fixtures.read(p) : "<none>";
    }

    private static List<String> keys(String bucket) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .toList();
    }
}
