package io.reprise.cli;

import io.reprise.app.ReprisServer;
import io.reprise.app.ServerConfig;
import io.reprise.policy.PolicyException;
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
            defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}; use 0.0.0.0 to serve other machines).")
    String host;

    @Option(names = "--port", defaultValue = "5000", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--backend-store-uri",
            description = "Where runs are stored: sqlite:///path/file.db or postgresql://user:pass@host:port/db"
                    + " (default: sqlite:///.reprise/reprise.db).")
    String backendStoreUri;

    @Option(
            names = "--artifacts-destination",
            defaultValue = ".reprise/artifacts",
            description = "Folder where logged artifacts are stored (default: ${DEFAULT-VALUE}).")
    Path artifactsDestination;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Team policy (YAML, see docs/policy.md) every run is checked against; re-read when it"
                    + " changes.")
    Path policy;

    @Override
    public Integer call() throws InterruptedException {
        String backend = backendStoreUri != null ? backendStoreUri : "sqlite:///.reprise/reprise.db";
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--port must be between 0 and 65535, got " + port);
        }
        ReprisServer server;
        try {
            server = ReprisServer.start(new ServerConfig(host, port, backend, artifactsDestination, policy));
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
        out.println("  backend store:  " + backend);
        out.println("  artifacts:      " + artifactsDestination.toAbsolutePath().normalize());
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
