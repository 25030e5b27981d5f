package io.reprise.audit;

import static io.reprise.audit.Category.TRACKING;

import io.reprise.audit.PyModule.Arg;
import io.reprise.audit.PyModule.Assignment;
import io.reprise.audit.PyModule.Call;
import io.reprise.audit.PyModule.Literal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Runs are logged, launched through a recorded entry point, to a server named by the environment. */
final class TrackingChecks {
    static final Rule LOGGING = new Rule(
            "tracking.logging",
            TRACKING,
            5,
            Severity.HIGH,
            "Runs log their parameters and metrics",
            "A result that is not logged with its parameters cannot be compared, reviewed or reproduced.",
            "Log with MLflow: mlflow.log_params(cfg) and mlflow.log_metric(\"accuracy\", acc) (or"
                    + " mlflow.autolog()) inside mlflow.start_run().");
    static final Rule LAUNCH = new Rule(
            "tracking.launch",
            TRACKING,
            3,
            Severity.MEDIUM,
            "Runs are launched through a recorded entry point",
            "An MLproject or 'reprise run' records the command, the git commit, the environment and the data"
                    + " versions with the run; a bare 'python train.py' records only what the code logs.",
            "Add an MLproject with a 'main' entry point, or launch training with 'reprise run --config ... --"
                    + " python ...' (e.g. in a Makefile target).");
    static final Rule URI = new Rule(
            "tracking.uri-from-environment",
            TRACKING,
            3,
            Severity.HIGH,
            "The tracking URI comes from the environment",
            "A tracking URI written in code sends runs to one machine: on CI, a colleague's laptop or a new"
                    + " server the runs go astray or fail.",
            "Remove the literal: MLflow reads MLFLOW_TRACKING_URI from the environment (or pass"
                    + " os.environ[\"MLFLOW_TRACKING_URI\"]).");
    static final Rule SERVER = new Rule(
            "tracking.team-server",
            TRACKING,
            1,
            Severity.LOW,
            "The project names the team's tracking server",
            "Runs that stay in a local mlruns/ folder are invisible to the team and to the policy gates.",
            "Write the server in .reprise/config.toml (tracking_uri = \"http://...\") and set MLFLOW_TRACKING_URI in"
                    + " CI.");

    private static final Set<String> PARAM_CALLS = Set.of("log_param", "log_params", "autolog");
    private static final Set<String> METRIC_CALLS = Set.of("log_metric", "log_metrics", "autolog");
    private static final Set<String> URI_SETTERS = Set.of(
            "mlflow.set_tracking_uri",
            "mlflow.tracking.set_tracking_uri",
            "mlflow.MlflowClient",
            "mlflow.tracking.MlflowClient",
            "mlflow.client.MlflowClient");
    private static final Pattern REPRISE_RUN = Pattern.compile("\\breprise(\\.jar)?['\"]?\\s+run\\b|mlflow\\s+run\\b");
    private static final Pattern SERVER_IN_CI = Pattern.compile("MLFLOW_TRACKING_URI\\s*[:=]");

    private TrackingChecks() {}

    static List<Outcome> run(Project p) {
        List<PyModule> code = p.programPython();
        return List.of(logging(code), launch(p), uri(code), server(p));
    }

    private static Outcome logging(List<PyModule> code) {
        boolean params = false;
        boolean metrics = false;
        for (PyModule m : code) {
            boolean mlflow = m.imports().stream().anyMatch(i -> i.module().startsWith("mlflow"));
            for (Call c : m.calls()) {
                // client.log_metric(...) on an MlflowClient counts in a file that imports mlflow
                boolean ours =
                        c.name().startsWith("mlflow.") || (mlflow && c.name().contains("."));
                if (!ours) {
                    continue;
                }
                params |= PARAM_CALLS.contains(c.lastName());
                metrics |= METRIC_CALLS.contains(c.lastName());
            }
        }
        if (params && metrics) {
            return Outcome.pass(LOGGING);
        }
        String missing = params ? "metrics" : metrics ? "parameters" : "parameters or metrics";
        return Outcome.partial(
                LOGGING,
                params || metrics ? 0.5 : 0,
                List.of(Finding.at(
                        LOGGING,
                        null,
                        0,
                        "no code logs " + missing + " to a tracking server (mlflow.log_" + (params ? "metric" : "param")
                                + "... or mlflow.autolog())")));
    }

    private static Outcome launch(Project p) {
        if (p.files().stream().anyMatch(f -> Project.fileName(f).equals("MLproject"))) {
            return Outcome.pass(LAUNCH);
        }
        for (String f : p.files(f -> !f.endsWith(".py"))) {
            if (REPRISE_RUN.matcher(p.text(f).orElse("")).find()) {
                return Outcome.pass(LAUNCH);
            }
        }
        return Outcome.fail(
                LAUNCH,
                Finding.at(
                        LAUNCH,
                        null,
                        0,
                        "no MLproject and no 'reprise run' command: how a run" + " was launched is not recorded"));
    }

    private static Outcome uri(List<PyModule> code) {
        List<Finding> findings = new ArrayList<>();
        for (PyModule m : code) {
            for (Call c : m.calls()) {
                if (!URI_SETTERS.contains(c.name())) {
                    continue;
                }
                Arg a = c.keyword("tracking_uri") != null ? c.keyword("tracking_uri") : c.positional(0);
                if (a != null && isUri(a.literal())) {
                    findings.add(new Finding(
                            URI,
                            m.path(),
                            c.line(),
                            c.column(),
                            c.name() + "(\"" + a.literal().value() + "\") hard-codes the tracking server",
                            URI.fix()));
                }
            }
            for (Assignment a : m.assignments()) {
                if (a.target().equals("os.environ[\"MLFLOW_TRACKING_URI\"]") && isUri(a.literal())) {
                    findings.add(Finding.at(
                            URI,
                            m.path(),
                            a.line(),
                            "os.environ[\"MLFLOW_TRACKING_URI\"] = \""
                                    + a.literal().value() + "\" hard-codes the tracking server"));
                }
            }
        }
        return findings.isEmpty() ? Outcome.pass(URI) : Outcome.fail(URI, findings.toArray(Finding[]::new));
    }

    private static boolean isUri(Literal l) {
        return l != null && l.kind() == Literal.Kind.STRING && !l.value().isBlank();
    }

    private static Outcome server(Project p) {
        if (p.text(".reprise/config.toml").orElse("").matches("(?s).*\\btracking_uri\\s*=\\s*\"[^\"]+\".*")) {
            return Outcome.pass(SERVER);
        }
        for (String f : AutomationChecks.ciFiles(p)) {
            if (SERVER_IN_CI.matcher(p.text(f).orElse("")).find()) {
                return Outcome.pass(SERVER);
            }
        }
        return Outcome.fail(
                SERVER,
                Finding.at(
                        SERVER,
                        null,
                        0,
                        "neither .reprise/config.toml nor the CI configuration" + " names the team's tracking server"));
    }
}
