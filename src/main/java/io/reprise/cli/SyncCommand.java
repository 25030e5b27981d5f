package io.reprise.cli;

import io.reprise.capture.CaptureException;
import io.reprise.capture.SpoolSync;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = {
            "Uploads the runs 'reprise run --offline' spooled in this repository's .reprise/spool/ to the",
            "tracking server, with their params, tags, metrics, datasets and artifacts, and removes each",
            "entry once the server has acknowledged all of it. Safe to repeat: nothing is uploaded twice.",
            "Exits 0 when everything was uploaded, 1 when some entries failed (they are kept), 3 when the",
            "server cannot be reached."
        })
final class SyncCommand implements Callable<Integer> {
    @Option(
            names = "--tracking-uri",
            paramLabel = "URL",
            description = "Tracking server (default: $MLFLOW_TRACKING_URI), e.g. http://127.0.0.1:5000.")
    String trackingUri;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        try {
            SpoolSync sync = new SpoolSync(
                    Path.of(""),
                    SpoolSync.trackingUri(trackingUri, System.getenv()),
                    System.getenv(),
                    LocalSpoolServer::start,
                    err);
            SpoolSync.Summary s = sync.run();
            return s.failed() > 0 ? ExitCodes.INTERNAL : ExitCodes.OK;
        } catch (CaptureException e) {
            err.println("reprise sync: " + e.getMessage() + (e.hint().isEmpty() ? "" : " (hint: " + e.hint() + ")"));
            return e.kind() == CaptureException.Kind.UNAVAILABLE ? ExitCodes.UNAVAILABLE : ExitCodes.USAGE;
        }
    }
}
