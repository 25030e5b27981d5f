package io.reprise.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import io.reprise.capture.CaptureException;
import io.reprise.capture.EnvAllowlist;
import io.reprise.capture.RunSession;
import io.reprise.capture.RunSpec;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recorded command, run again in a checkout through {@code reprise run}'s own capture: a new run
 * in the same experiment with the recorded seed, allowlisted environment, configs, working directory
 * and, for an MLproject, entry point, parameters and environment (a python_env is rebuilt, or reused
 * from the cache by its content hash).
 */
final class Rerun {
    private Rerun() {}

    /** The environment the command sees: ours, with every allowlisted variable as recorded. */
    static Map<String, String> environment(RunRecord r, Map<String, String> current, String experimentId) {
        Map<String, String> env = new HashMap<>(current);
        env.remove("MLFLOW_RUN_ID");
        env.remove("MLFLOW_EXPERIMENT_NAME");
        env.put("MLFLOW_EXPERIMENT_ID", experimentId);
        if (r.hasEnvironment()) {
            Map<String, String> recorded = r.environment();
            for (String name : EnvAllowlist.NAMES) {
                if (recorded.containsKey(name)) {
                    env.put(name, recorded.get(name));
                } else if (!name.equals("VIRTUAL_ENV")) { // unset then; a venv we activate sets its own
                    env.remove(name);
                }
            }
        }
        return env;
    }

    /** The run to make: throws {@link Failed} when the record cannot be turned into one. */
    static RunSpec spec(
            RunRecord r, List<String> argv, Path checkout, Map<String, String> env, URI trackingUri, String runName) {
        Path workDir = checkout.resolve(r.workdirInRepo()).normalize();
        if (!workDir.startsWith(checkout) || !Files.isDirectory(workDir)) {
            throw new Failed("the recorded working directory '" + r.workdirInRepo() + "' is not in the checkout");
        }
        List<Path> configs = new ArrayList<>();
        for (RunRecord.FileDigest c : r.configs()) {
            Path p = Path.of(c.path());
            configs.add(p.isAbsolute() ? p : checkout.resolve(p));
        }
        try {
            if (!r.isProject()) {
                if (argv.isEmpty()) {
                    throw new Failed("the record has no command (command.argv is empty)");
                }
                return RunSpec.of(argv, workDir, env, trackingUri.toString(), null, runName, r.seed(), configs);
            }
            JsonNode p = r.project();
            String originalRoot = originalRoot(r);
            List<String> params = new ArrayList<>();
            for (String section : List.of("parameters", "extra_parameters")) {
                p.path(section)
                        .properties()
                        .forEach(e ->
                                params.add(e.getKey() + "=" + remap(e.getValue().asText(), originalRoot, checkout)));
            }
            String manager = p.path("environment").path("manager").asText(null);
            return RunSpec.ofProject(
                    workDir,
                    workDir,
                    p.path("entry_point").asText("main"),
                    params,
                    manager,
                    env,
                    trackingUri.toString(),
                    null,
                    runName,
                    r.seed(),
                    configs);
        } catch (CaptureException e) {
            throw new Failed("cannot rerun the recorded command: " + e.getMessage(), e.hint());
        }
    }

    /** Runs it; returns the exit code and the session (for its run id). */
    static int run(RunSession session) throws InterruptedException {
        return session.execute();
    }

    static RunSession session(RunSpec spec, String originalRunId, PrintStream output) {
        return new RunSession(spec, output, output).withCreateTags(Map.of(Verdicts.OF, originalRunId));
    }

    /** The original repository's root: the recorded workdir without its in-repo part. */
    private static String originalRoot(RunRecord r) {
        Path workdir = Path.of(r.workdir());
        String in = r.workdirInRepo();
        if (in.equals(".") || in.isEmpty()) {
            return workdir.toString();
        }
        int depth = Path.of(in).getNameCount();
        Path root = workdir;
        for (int i = 0; i < depth && root != null; i++) {
            root = root.getParent();
        }
        return root == null ? "" : root.toString();
    }

    /** A path parameter inside the original repository points at the same file in the checkout. */
    private static String remap(String value, String originalRoot, Path checkout) {
        if (originalRoot.isEmpty() || !value.startsWith(originalRoot + "/")) {
            return value;
        }
        return checkout.resolve(value.substring(originalRoot.length() + 1)).toString();
    }
}
