package io.reprise.audit;

import static io.reprise.audit.Category.CONFIGURATION;

import io.reprise.audit.PyModule.Arg;
import io.reprise.audit.PyModule.Call;
import io.reprise.audit.PyModule.DictEntry;
import io.reprise.audit.PyModule.Literal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Config files exist and the code loads them; hyper-parameters are not literals in the source. */
final class ConfigChecks {
    static final Rule FILES = new Rule(
            "config.files",
            CONFIGURATION,
            3,
            Severity.MEDIUM,
            "Experiment settings live in config files",
            "A config file is a reviewable, versioned record of what a run used; reprise run and the team policy"
                    + " log it with the run.",
            "Put the settings in confs/train.yaml (or params.yaml, a Hydra conf/ folder) and load it in the code.");
    static final Rule LOADED = new Rule(
            "config.loaded",
            CONFIGURATION,
            3,
            Severity.MEDIUM,
            "The config files are loaded by the code",
            "A config file that no code reads documents values the run may not have used.",
            "Read the file in the training entry point (yaml.safe_load, OmegaConf.load, @hydra.main) or delete it.");
    static final Rule HARDCODED = new Rule(
            "config.hardcoded-hyperparameter",
            CONFIGURATION,
            6,
            Severity.MEDIUM,
            "Hyper-parameters come from configuration, not literals in code",
            "A value written in code changes without a trace in the run's config or params: two runs of the"
                    + " 'same' config then differ, and a reviewer cannot see what was tried.",
            "Move the value to the config file and pass it from there, e.g. n_estimators=cfg[\"n_estimators\"].");

    /** Keyword arguments that are hyper-parameters when given a number. */
    static final Set<String> HYPERPARAMETERS = Set.of(
            "n_estimators",
            "max_depth",
            "learning_rate",
            "lr",
            "batch_size",
            "epochs",
            "num_epochs",
            "n_epochs",
            "max_epochs",
            "max_iter",
            "max_leaf_nodes",
            "min_samples_split",
            "min_samples_leaf",
            "max_features",
            "num_leaves",
            "subsample",
            "colsample_bytree",
            "reg_alpha",
            "reg_lambda",
            "min_child_weight",
            "eta",
            "num_boost_round",
            "n_neighbors",
            "dropout",
            "weight_decay",
            "momentum",
            "hidden_size",
            "hidden_dim",
            "num_layers",
            "n_layers",
            "embedding_dim",
            "warmup_steps",
            "num_train_epochs",
            "learning_rate_init",
            "per_device_train_batch_size",
            "gradient_accumulation_steps",
            "l1_ratio",
            "alpha",
            "C",
            "gamma");

    private static final Pattern CONFIG_FILE =
            Pattern.compile("(^|/)(confs?|configs?|configuration|params)/.*\\.(ya?ml|toml|json|ini|cfg)$"
                    + "|(^|/)(params|config|hparams|hyperparameters|train_config|training)\\.(ya?ml|toml|json)$");
    private static final Set<String> LOADERS = Set.of(
            "hydra.main", "hydra.compose", "hydra.initialize", "omegaconf.OmegaConf.load", "dvc.api.params_show");

    private ConfigChecks() {}

    static List<Outcome> run(Project p) {
        // tool settings in dot-folders (.reprise/config.toml, .github/...) are not experiment configs
        List<String> configs =
                p.files(f -> CONFIG_FILE.matcher(f).find() && !Project.isTest(f) && !f.matches("(.*/)?\\..*"));
        List<PyModule> code = p.programPython();
        return List.of(files(configs), loaded(p, configs, code), hardcoded(code));
    }

    private static Outcome files(List<String> configs) {
        return configs.isEmpty()
                ? Outcome.fail(
                        FILES,
                        Finding.at(FILES, null, 0, "no config file (confs/*.yaml, params.yaml, a Hydra conf/ folder)"))
                : Outcome.pass(FILES);
    }

    private static Outcome loaded(Project p, List<String> configs, List<PyModule> code) {
        if (configs.isEmpty() || code.isEmpty()) {
            return Outcome.notApplicable(LOADED);
        }
        boolean framework = code.stream().flatMap(m -> m.calls().stream()).anyMatch(c -> LOADERS.contains(c.name()));
        if (framework) {
            return Outcome.pass(LOADED); // Hydra and friends find their files themselves
        }
        List<String> literals = new ArrayList<>();
        code.forEach(m -> m.strings().forEach(s -> literals.add(s.value())));
        for (String f : p.files(f ->
                Project.fileName(f).equals("MLproject") || Project.fileName(f).equals("dvc.yaml"))) {
            literals.add(p.text(f).orElse(""));
        }
        List<Finding> findings = new ArrayList<>();
        for (String config : configs) {
            if (!referenced(config, literals)) {
                findings.add(Finding.at(
                        LOADED,
                        config,
                        0,
                        config + " is not referenced by any Python code, MLproject or dvc.yaml: it may not be"
                                + " what runs use"));
            }
        }
        return Outcome.partial(LOADED, (configs.size() - findings.size()) / (double) configs.size(), findings);
    }

    /** Referenced by path, by file name, or through its folder (a code that lists confs/ reads them all). */
    private static boolean referenced(String config, List<String> literals) {
        String name = Project.fileName(config);
        String stem = name.replaceFirst("\\.[^.]+$", "");
        int slash = config.lastIndexOf('/');
        String folder = slash < 0 ? null : config.substring(0, slash);
        String folderName = folder == null ? null : Project.fileName(folder);
        for (String s : literals) {
            if (s.contains(config) || s.contains(name)) {
                return true;
            }
            if (folder != null
                    && (s.equals(folder)
                            || s.equals(folderName)
                            || s.endsWith("/" + folderName)
                            || s.equals(folder + "/")
                            || s.equals(folderName + "/"))) {
                return true;
            }
            if (s.equals(stem) && folder != null) {
                return true; // load_config("train") next to a confs/ folder
            }
        }
        return false;
    }

    private static Outcome hardcoded(List<PyModule> code) {
        int total = 0;
        List<Finding> findings = new ArrayList<>();
        for (PyModule m : code) {
            for (Call c : m.calls()) {
                for (Arg a : c.args()) {
                    if (a.keyword() == null || !HYPERPARAMETERS.contains(a.keyword())) {
                        continue;
                    }
                    total++;
                    if (isNumber(a.literal())) {
                        findings.add(new Finding(
                                HARDCODED,
                                m.path(),
                                c.line(),
                                c.column(),
                                a.keyword() + "=" + a.text() + " is hard-coded in the call to " + c.name(),
                                "Read it from the config: " + a.keyword() + "=cfg[\"" + a.keyword() + "\"]."));
                    }
                }
            }
            for (DictEntry d : m.dictEntries()) {
                if (HYPERPARAMETERS.contains(d.key())) {
                    total++;
                    if (isNumber(d.value())) {
                        findings.add(new Finding(
                                HARDCODED,
                                m.path(),
                                d.line(),
                                d.column(),
                                "\"" + d.key() + "\": " + d.value().value() + " is hard-coded in a dict",
                                "Load the dict from the config file instead of writing it in code."));
                    }
                }
            }
        }
        if (total == 0) {
            return Outcome.notApplicable(HARDCODED);
        }
        return Outcome.partial(HARDCODED, (total - findings.size()) / (double) total, findings);
    }

    private static boolean isNumber(Literal l) {
        return l != null && l.kind() == Literal.Kind.NUMBER;
    }
}
