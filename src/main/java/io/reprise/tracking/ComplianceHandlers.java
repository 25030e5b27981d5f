package io.reprise.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.reprise.model.Run;
import io.reprise.model.Tag;
import io.reprise.policy.Compliance;
import io.reprise.policy.Verdict;

/** Reprise's own endpoint for a run's policy verdict: GET /api/2.0/reprise/runs/compliance?run_id=... */
final class ComplianceHandlers {
    private final TrackingService service;
    private final Http http;

    ComplianceHandlers(TrackingService service, Http http) {
        this.service = service;
        this.http = http;
    }

    void get(Context ctx) {
        String runId = http.req(ctx).runId();
        Run run = service.getRun(runId);
        Verdict v = service.compliance(runId);
        ObjectNode body = Wire.object();
        body.put("run_id", run.info().runId());
        body.put("experiment_id", run.info().experimentId());
        body.put("status", run.info().status().name());
        body.put("verdict", v.outcome().label());
        v.reasons().forEach(body.withArray("reasons")::add);
        body.put("rule", v.rule());
        if (v.mode() != null) {
            body.put("mode", v.mode().label());
        }
        String recorded = run.data().tags().stream()
                .filter(t -> t.key().equals(Compliance.TAG))
                .map(Tag::value)
                .findFirst()
                .orElse(null);
        body.put("recorded_verdict", recorded);
        http.ok(ctx, body);
    }
}
