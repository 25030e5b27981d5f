package io.reprise.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** reprise run in this JVM (as picocli runs it), and readers of its JSON reports. */
final class Reports {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Reports() {}

    record Result(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + err, e);
            }
        }
    }

    static Result reprise(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The findings of a JSON report as "rule file:line" strings. */
    static List<String> findings(JsonNode report) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : report.path("findings")) {
            String where = f.path("file").isNull() ? "." : f.path("file").asText();
            if (!f.path("line").isNull()) {
                where += ":" + f.path("line").asInt();
            }
            out.add(f.path("rule").asText() + " " + where);
        }
        return out;
    }

    static double categoryScore(JsonNode report, String id) {
        for (JsonNode c : report.path("categories")) {
            if (c.path("id").asText().equals(id)) {
                return c.path("score").asDouble(-1);
            }
        }
        throw new AssertionError("no category " + id);
    }
}
