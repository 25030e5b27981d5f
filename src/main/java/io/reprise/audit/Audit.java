package io.reprise.audit;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code reprise audit}: scores a repository's reproducibility 0-100 and places it on the maturity
 * levels 0 (Chaos) to 4 (Auditable), with a prioritised list of findings. Categories, weights,
 * formula and levels: docs/audit.md.
 */
public final class Audit {
    /** Output formats. */
    public enum Format {
        text,
        json,
        sarif;

        /** The format named {@code name}, or null. */
        public static Format parse(String name) {
            for (Format f : values()) {
                if (f.name().equals(name)) {
                    return f;
                }
            }
            return null;
        }
    }

    private final Report report;

    private Audit(Report report) {
        this.report = report;
    }

    /**
     * Audits the repository folder {@code path}.
     *
     * @param server the team's Reprise server for the team evidence, or null to leave it out
     * @param experiment the experiment whose runs are the team's evidence, or null for all
     * @param env the environment (credentials for the server, as MLflow clients read them)
     * @throws AuditException for a bad path, a folder outside git, an unreachable server
     */
    public static Audit run(Path path, URI server, String experiment, Map<String, String> env) {
        Project project = Project.open(path);
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.addAll(EnvironmentChecks.run(project));
        outcomes.addAll(ConfigChecks.run(project));
        outcomes.addAll(RandomnessChecks.run(project));
        outcomes.addAll(TrackingChecks.run(project));
        outcomes.addAll(DataChecks.run(project));
        outcomes.addAll(AutomationChecks.run(project));
        outcomes.addAll(DocumentationChecks.run(project));
        TeamServer.Evidence team = null;
        if (server != null) {
            team = new TeamServer(server, env).evidence(experiment);
            outcomes.addAll(TeamChecks.run(team));
        }
        List<Outcome> located = outcomes.stream()
                .map(o -> new Outcome(
                        o.rule(),
                        o.applicable(),
                        o.earned(),
                        o.findings().stream().map(project::locate).toList()))
                .toList();
        return new Audit(Report.of(project.root().toString(), located, team, project.warnings()));
    }

    /** Records this audit's score and level on the experiment named (see TeamServer.record). */
    public void record(URI server, String experiment, Map<String, String> env) {
        new TeamServer(server, env).record(experiment, score(), level(), java.time.Instant.now());
    }

    public int score() {
        return report.score();
    }

    /** 0 Chaos, 1 Aware, 2 Standard, 3 Enforced, 4 Auditable. */
    public int level() {
        return report.level();
    }

    public String levelName() {
        return report.levelName();
    }

    /** The name of maturity level {@code level} (0 Chaos ... 4 Auditable); empty for any other number. */
    public static java.util.Optional<String> levelName(int level) {
        return level >= 0 && level < Report.LEVEL_NAMES.size()
                ? java.util.Optional.of(Report.LEVEL_NAMES.get(level))
                : java.util.Optional.empty();
    }

    /** The report in {@code format}; text lists at most {@code limit} findings. */
    public String render(Format format, int limit) {
        return switch (format) {
            case text -> Renderers.text(report, limit);
            case json -> Renderers.json(report);
            case sarif -> Renderers.sarif(report);
        };
    }

    /** The ids of the rules with findings, for tests and scripts. */
    public List<String> findingRules() {
        return report.items().stream().map(i -> i.finding().rule().id()).toList();
    }
}
