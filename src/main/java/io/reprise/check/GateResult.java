package io.reprise.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The outcome of a CI gate: whether it passed, the human report (one line each) and the same facts
 * as JSON for machines.
 */
public record GateResult(boolean passed, List<String> lines, ObjectNode json) {
    public GateResult {
        lines = List.copyOf(lines);
        json.put("passed", passed);
    }
}
