package io.reprise.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code reprise check run}: the run exists, has FINISHED, and the policy judges it compliant. */
public final class RunGate {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunGate() {}

    public static GateResult check(Tracking tracking, String runId) {
        ObjectNode json = JSON.createObjectNode();
        json.put("gate", "run");
        ObjectNode run = json.putObject("run");
        List<String> lines = new ArrayList<>();
        boolean ok = judge(tracking, runId, run, lines);
        lines.add(ok ? "PASS" : "FAIL");
        return new GateResult(ok, lines, json);
    }

    /** Checks one run into {@code out} (JSON) and {@code lines} (text); true when it passes. */
    static boolean judge(Tracking tracking, String runId, ObjectNode out, List<String> lines) {
        out.put("run_id", runId);
        Optional<JsonNode> found = tracking.compliance(runId);
        if (found.isEmpty()) {
            out.put("exists", false);
            lines.add("run " + runId + " does not exist on " + tracking.base());
            return false;
        }
        JsonNode c = found.get();
        out.put("exists", true);
        out.put("status", c.path("status").asText());
        out.put("verdict", c.path("verdict").asText());
        out.put("rule", c.path("rule").asText());
        out.set("reasons", c.path("reasons").isArray() ? c.path("reasons") : JSON.createArrayNode());
        boolean finished = "FINISHED".equals(c.path("status").asText());
        boolean compliant = "compliant".equals(c.path("verdict").asText());
        String rule = c.path("rule").asText().isEmpty()
                ? ""
                : " under rule '" + c.path("rule").asText() + "'";
        lines.add("run " + runId + ": " + c.path("status").asText() + ", "
                + c.path("verdict").asText() + rule);
        if (!finished) {
            lines.add("  - the run has not FINISHED (it is " + c.path("status").asText() + ")");
        }
        if (!compliant) {
            c.path("reasons").forEach(r -> lines.add("  - " + r.asText()));
        }
        return finished && compliant;
    }
}
