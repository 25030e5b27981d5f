package io.reprise.capture;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** An offline run under way: its spool entry and the private server recording into it. */
record Spooled(Path dir, SpoolServer server, Map<String, Object> state) {

    static Spooled start(RunSpec spec, SpoolServer.Factory servers, PrintStream err) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("state", Spool.RECORDING);
        state.put("pid", ProcessHandle.current().pid());
        state.put("created", System.currentTimeMillis());
        state.put("tracking_uri", spec.shownTrackingUri());
        state.put("workdir", spec.workDir().toString());
        Path dir = Spool.create(Spool.root(spec.workDir()), state);
        SpoolServer server;
        try {
            server = servers.start(dir);
        } catch (RuntimeException e) {
            VirtualEnvs.deleteTree(dir);
            throw new CaptureException(
                    CaptureException.Kind.UNAVAILABLE,
                    "cannot reach the tracking server at " + spec.shownTrackingUri()
                            + " and cannot record offline either: " + e.getMessage() + "; the command was not run",
                    "",
                    e);
        }
        err.println("reprise: cannot reach the tracking server at " + spec.shownTrackingUri()
                + "; recording offline in " + dir + " (upload it later with 'reprise sync')");
        return new Spooled(dir, server, state);
    }

    /** Marks the entry complete, ready for {@code reprise sync}. */
    void complete(String localRunId) {
        server.close();
        state.put("state", Spool.COMPLETE);
        if (localRunId != null) {
            state.put("run_id", localRunId);
        }
        Spool.writeJson(dir.resolve(Spool.STATE), state);
    }
}
