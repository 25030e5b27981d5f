package io.reprise.cli;

import io.reprise.app.ReprisServer;
import io.reprise.app.ServerConfig;
import io.reprise.policy.PolicyException;
import io.reprise.s3.S3Settings;
import io.reprise.store.StoreFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Starts the tracking server. MLflow clients log to it unchanged:",
            "  export MLFLOW_TRACKING_URI=http://127.0.0.1:5000"
        })
final class ServerCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--host",
            defaultValue = "${env:MLFLOW_HOST:-127.0.0.1}",
            description = "Address to bind (default: ${DEFAULT-VALUE}; use 0.0.0.0 to serve other machines)."
                    + " Env: MLFLOW_HOST.")
    String host;

    @Option(
            names = "--port",
            defaultValue = "${env:MLFLOW_PORT:-5000}",
            description = "Port to listen on (default: ${DEFAULT-VALUE}). Env: MLFLOW_PORT.")
    int port;

    @Option(
            names = "--backend-store-uri",
            defaultValue = "${env:MLFLOW_BACKEND_STORE_URI:-sqlite:///.reprise/reprise.db}",
            description = "Where runs are stored: sqlite:///path/file.db or postgresql://user:pass@host:port/db"
                    + " (default: sqlite:///.reprise/reprise.db). Env: MLFLOW_BACKEND_STORE_URI, which keeps a"
                    + " password out of the process list.")
    String backendStoreUri;

    @Option(
            names = "--artifacts-destination",
            defaultValue = "${env:MLFLOW_ARTIFACTS_DESTINATION:-.reprise/artifacts}",
            description = {
                "Where logged artifacts are stored: a folder, or s3://bucket/prefix (default: ${DEFAULT-VALUE}).",
                "Env: MLFLOW_ARTIFACTS_DESTINATION.",
                "S3 settings come from the usual AWS variables: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,",
                "AWS_SESSION_TOKEN, AWS_PROFILE, AWS_REGION; a non-AWS endpoint (MinIO, Ceph...) from",
                "MLFLOW_S3_ENDPOINT_URL or AWS_ENDPOINT_URL."
            })
    String artifactsDestination;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            defaultValue = "${env:REPRISE_POLICY}",
            description = "Team policy (YAML, see docs/policy.md) every run is checked against; re-read when it"
                    + " changes. Env: REPRISE_POLICY.")
    Path policy;

    @Override
    public Integer call() throws InterruptedException {
        String backend = backendStoreUri;
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--port must be between 0 and 65535, got " + port);
        }
        ReprisServer server;
        try {
            server = ReprisServer.start(new ServerConfig(
                    host, port, backend, artifactsDestination, S3Settings.fromEnv(System.getenv()), policy));
        } catch (PolicyException e) {
            spec.commandLine().getErr().println("reprise server: bad policy file: " + e.getMessage());
            spec.commandLine().getErr().println("Fix the file (format: docs/policy.md) and start the server again.");
            return ExitCodes.USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, out, stopped), "reprise-shutdown"));
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
        out.println("Reprise tracking server listening on " + url);
        out.println("  backend store:  " + StoreFactory.redact(backend));
        out.println("  artifacts:      " + server.artifactsLocation());
        if (policy != null) {
            out.println("  policy:         " + policy.toAbsolutePath().normalize() + " (re-read on change)");
        }
        out.println("  MLflow clients: export MLFLOW_TRACKING_URI=" + url);
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private static void stop(ReprisServer server, PrintWriter out, CountDownLatch stopped) {
        out.println("Reprise tracking server stopping: finishing requests under way...");
        out.flush();
        server.close();
        out.println("Reprise tracking server stopped.");
        out.flush();
        stopped.countDown();
    }
}
