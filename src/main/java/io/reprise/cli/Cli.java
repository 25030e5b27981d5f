package io.reprise.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.reproduce.Outcome;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** What the reproduce, verify and baseline commands share: server URI, usage errors, printing. */
final class Cli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {}

    /** The tracking server from the option, else $MLFLOW_TRACKING_URI; IllegalArgumentException if neither. */
    static URI trackingUri(String option) {
        String uri = option != null ? option : System.getenv("MLFLOW_TRACKING_URI");
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException(
                    "no tracking server: pass --tracking-uri http://HOST:PORT or set MLFLOW_TRACKING_URI");
        }
        URI parsed;
        try {
            parsed = URI.create(uri.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URI: '" + uri + "'");
        }
        if ((!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())) || parsed.getHost() == null) {
            throw new IllegalArgumentException("the tracking URI must be http(s)://HOST:PORT, not '" + uri + "'");
        }
        return parsed;
    }

    static int usage(PrintStream err, String command, String message) {
        err.println("reprise " + command + ": " + message);
        err.println("Try 'reprise " + command + " --help' for the options.");
        return ExitCodes.USAGE;
    }

    static String json(Object o) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stop hook: asks {@code stop} to stop, then waits (bounded) until the main thread is done. */
    interface Stoppable {
        void stop() throws InterruptedException;
    }

    static void stopAndWait(Stoppable stop, CountDownLatch done) {
        try {
            stop.stop();
            done.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The text report of one reproduction: table, causes, notes, then the closing lines. */
    static List<String> report(Outcome o) {
        List<String> out = new ArrayList<>(o.table());
        if (!out.isEmpty()) {
            out.add("");
        }
        if (!o.causes().isEmpty()) {
            out.add("probable causes, most likely first:");
            for (int i = 0; i < o.causes().size(); i++) {
                out.add("  " + (i + 1) + ". " + o.causes().get(i));
            }
            out.add("");
        }
        if (!o.notes().isEmpty()) {
            o.notes().forEach(n -> out.add("note: " + n));
            out.add("");
        }
        if (o.kept() != null) {
            out.add("checkout kept at " + o.kept());
        }
        if (o.reproductionRunId() != null) {
            out.add("reproduction run: " + o.reproductionRunId());
        }
        if (!o.hint().isEmpty()) {
            out.add("hint: " + o.hint());
        }
        out.addAll(o.lastLines());
        return out;
    }
}
