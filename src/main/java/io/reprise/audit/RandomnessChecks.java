package io.reprise.audit;

import static io.reprise.audit.Category.RANDOMNESS;

import io.reprise.audit.PyModule.Arg;
import io.reprise.audit.PyModule.Assignment;
import io.reprise.audit.PyModule.Call;
import io.reprise.audit.PyModule.Import;
import io.reprise.audit.PyModule.Literal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** A seed for every random number generator the code imports, and PYTHONHASHSEED fixed. */
final class RandomnessChecks {
    private static final String SEED_WHY =
            "Without a fixed seed every run draws different random numbers (initial weights, splits,"
                    + " shuffles): two runs of the same code and data give different results.";

    static final Rule RANDOM = rule(
            "seed.random",
            2,
            "Python's random module is seeded",
            "Call random.seed(cfg[\"seed\"]) at the start of the entry point (or use random.Random(seed)).");
    static final Rule NUMPY = rule(
            "seed.numpy",
            3,
            "NumPy's random state is seeded",
            "Create a generator with np.random.default_rng(cfg[\"seed\"]) and pass it around; code that uses the"
                    + " legacy global API (np.random.rand, ...) needs np.random.seed(seed).");
    static final Rule TORCH = rule(
            "seed.torch",
            3,
            "PyTorch is seeded",
            "Call torch.manual_seed(seed) (it seeds CUDA too) or lightning's seed_everything(seed).");
    static final Rule TORCH_DETERMINISM = new Rule(
            "seed.torch-determinism",
            RANDOMNESS,
            2,
            Severity.MEDIUM,
            "PyTorch runs deterministic kernels",
            "cuDNN picks the fastest, often non-deterministic, algorithm: even with a seed, GPU results differ"
                    + " between runs.",
            "Call torch.use_deterministic_algorithms(True) and set torch.backends.cudnn.deterministic = True,"
                    + " torch.backends.cudnn.benchmark = False (and CUBLAS_WORKSPACE_CONFIG=:4096:8).");
    static final Rule TENSORFLOW = rule(
            "seed.tensorflow",
            3,
            "TensorFlow / Keras is seeded",
            "Call tf.keras.utils.set_random_seed(seed) (seeds Python, NumPy and TensorFlow), or"
                    + " tf.random.set_seed(seed).");
    static final Rule SKLEARN = rule(
            "seed.sklearn-random-state",
            3,
            "scikit-learn estimators and splitters get a random_state",
            "Pass random_state=cfg[\"seed\"] to every estimator and splitter that takes one.");
    static final Rule HASHSEED = new Rule(
            "seed.pythonhashseed",
            RANDOMNESS,
            1,
            Severity.LOW,
            "PYTHONHASHSEED is fixed where Python starts",
            "String hashing is randomised per process: iterating a set of strings, or anything keyed by hash(),"
                    + " changes order between runs. It must be set before the interpreter starts.",
            "Set PYTHONHASHSEED=0 where the program is launched (Makefile 'export PYTHONHASHSEED=0', the CI"
                    + " job's env, the Dockerfile ENV) or launch with 'reprise run --seed N', which exports it.");

    private static final Set<String> NUMPY_NOT_GLOBAL = Set.of(
            "seed",
            "default_rng",
            "Generator",
            "SeedSequence",
            "RandomState",
            "PCG64",
            "PCG64DXSM",
            "MT19937",
            "Philox",
            "SFC64",
            "BitGenerator",
            "get_state",
            "set_state");
    private static final Set<String> RANDOM_MODULE_FUNCTIONS = Set.of(
            "random",
            "randint",
            "randrange",
            "choice",
            "choices",
            "shuffle",
            "sample",
            "uniform",
            "gauss",
            "normalvariate",
            "betavariate",
            "expovariate",
            "triangular",
            "getrandbits",
            "randbytes",
            "binomialvariate");
    private static final Set<String> TORCH_SEEDS = Set.of(
            "torch.manual_seed",
            "torch.random.manual_seed",
            "torch.cuda.manual_seed_all",
            "pytorch_lightning.seed_everything",
            "lightning.seed_everything",
            "lightning.pytorch.seed_everything",
            "lightning_fabric.seed_everything",
            "lightning.fabric.seed_everything",
            "pytorch_lightning.utilities.seed.seed_everything",
            "transformers.set_seed",
            "transformers.enable_full_determinism",
            "accelerate.utils.set_seed");
    private static final Set<String> TF_SEEDS = Set.of(
            "tensorflow.random.set_seed",
            "tensorflow.set_random_seed",
            "tensorflow.compat.v1.set_random_seed",
            "tensorflow.keras.utils.set_random_seed",
            "keras.utils.set_random_seed",
            "tf_keras.utils.set_random_seed",
            "tensorflow.compat.v1.random.set_random_seed",
            "transformers.set_seed");
    /** scikit-learn callables whose result depends on random_state (splitters only with shuffle=True). */
    private static final Set<String> SKLEARN_RANDOM = Set.of(
            "RandomForestClassifier",
            "RandomForestRegressor",
            "ExtraTreesClassifier",
            "ExtraTreesRegressor",
            "GradientBoostingClassifier",
            "GradientBoostingRegressor",
            "HistGradientBoostingClassifier",
            "HistGradientBoostingRegressor",
            "DecisionTreeClassifier",
            "DecisionTreeRegressor",
            "ExtraTreeClassifier",
            "ExtraTreeRegressor",
            "BaggingClassifier",
            "BaggingRegressor",
            "AdaBoostClassifier",
            "AdaBoostRegressor",
            "IsolationForest",
            "RandomTreesEmbedding",
            "SGDClassifier",
            "SGDRegressor",
            "Perceptron",
            "PassiveAggressiveClassifier",
            "LogisticRegression",
            "MLPClassifier",
            "MLPRegressor",
            "KMeans",
            "MiniBatchKMeans",
            "BisectingKMeans",
            "PCA",
            "TruncatedSVD",
            "NMF",
            "FastICA",
            "TSNE",
            "SpectralClustering",
            "GaussianMixture",
            "BayesianGaussianMixture",
            "LinearSVC",
            "LinearSVR",
            "SVC",
            "NuSVC",
            "train_test_split",
            "ShuffleSplit",
            "StratifiedShuffleSplit",
            "GroupShuffleSplit",
            "RandomizedSearchCV",
            "HalvingRandomSearchCV",
            "make_classification",
            "make_regression",
            "make_blobs",
            "make_moons",
            "make_circles",
            "permutation_importance",
            "XGBClassifier",
            "XGBRegressor",
            "LGBMClassifier",
            "LGBMRegressor");

    private static final Set<String> SHUFFLE_SPLITTERS =
            Set.of("KFold", "StratifiedKFold", "RepeatedKFold", "RepeatedStratifiedKFold", "StratifiedGroupKFold");
    private static final Pattern HASHSEED_SET = Pattern.compile(
            "PYTHONHASHSEED\\s*[=:]\\s*['\"]?\\d+|PYTHONHASHSEED\\s+\\d+|PYTHONHASHSEED\\s*:?=\\s*\\d+");
    private static final Pattern REPRISE_RUN_SEED = Pattern.compile("reprise\\s+run\\b[^\\n]*--seed[ =]\\S+");

    private RandomnessChecks() {}

    private static Rule rule(String id, double points, String title, String fix) {
        return new Rule(id, RANDOMNESS, points, Severity.HIGH, title, SEED_WHY, fix);
    }

    static List<Outcome> run(Project p) {
        List<PyModule> code = p.programPython();
        Calls calls = new Calls(code);
        List<Outcome> seeds = new ArrayList<>(List.of(
                random(calls),
                numpy(calls),
                torch(calls),
                torchDeterminism(calls, code),
                tensorflow(calls),
                sklearn(calls)));
        // code that draws no random numbers is not judged on randomness at all
        boolean random = seeds.stream().anyMatch(Outcome::applicable);
        seeds.add(random ? hashseed(p) : Outcome.notApplicable(HASHSEED));
        return List.copyOf(seeds);
    }

    /** Every call of the program, with the module it is in. */
    private record Located(PyModule module, Call call) {}

    private record Calls(List<PyModule> code, List<Located> all) {
        Calls(List<PyModule> code) {
            this(
                    code,
                    code.stream()
                            .flatMap(m -> m.calls().stream().map(c -> new Located(m, c)))
                            .toList());
        }

        List<Located> named(Predicate<String> name) {
            return all.stream().filter(l -> name.test(l.call().name())).toList();
        }

        /** Where the first import of {@code prefix} (a module or its submodules) is. */
        Optional<Finding> importSite(String prefix, Rule rule, String message) {
            for (PyModule m : code) {
                for (Import i : m.imports()) {
                    if (i.module().equals(prefix) || i.module().startsWith(prefix + ".")) {
                        return Optional.of(Finding.at(rule, m.path(), i.line(), message));
                    }
                }
            }
            return Optional.empty();
        }

        boolean imports(String prefix) {
            return code.stream()
                    .flatMap(m -> m.imports().stream())
                    .anyMatch(i -> i.module().equals(prefix) || i.module().startsWith(prefix + "."));
        }
    }

    /** A seeding call counts when it has a seed that is not taken from the clock. */
    private static boolean seeded(Call c) {
        Arg a = c.args().isEmpty() ? null : c.args().get(0);
        if (a == null || (a.literal() != null && a.literal().kind() == Literal.Kind.NONE)) {
            return false; // random.seed() and default_rng() seed from the operating system
        }
        return !clockBased(a.text());
    }

    private static boolean clockBased(String expr) {
        return expr.matches(".*\\b(time|time_ns|perf_counter|now|utcnow|urandom|uuid4)\\s*\\(.*");
    }

    private static Finding at(Rule rule, Located l, String message) {
        return new Finding(rule, l.module().path(), l.call().line(), l.call().column(), message, rule.fix());
    }

    private static List<Finding> clockSeeds(Rule rule, List<Located> seeds) {
        List<Finding> out = new ArrayList<>();
        for (Located l : seeds) {
            Arg a = l.call().args().isEmpty() ? null : l.call().args().get(0);
            if (a != null && clockBased(a.text())) {
                out.add(at(
                        rule,
                        l,
                        l.call().name() + "(" + a.text() + ") takes the seed from the clock: every run"
                                + " differs and the seed is not recorded"));
            }
        }
        return out;
    }

    private static Outcome random(Calls calls) {
        if (!calls.imports("random")) {
            return Outcome.notApplicable(RANDOM);
        }
        List<Located> seeds = calls.named(n -> n.equals("random.seed"));
        List<Finding> findings = new ArrayList<>(clockSeeds(RANDOM, seeds));
        boolean seeded = seeds.stream().anyMatch(l -> seeded(l.call()));
        List<Located> global = calls.named(
                n -> n.startsWith("random.") && RANDOM_MODULE_FUNCTIONS.contains(n.substring("random.".length())));
        for (Located l : calls.named(n -> n.equals("random.Random"))) {
            if (l.call().args().isEmpty()) {
                findings.add(at(RANDOM, l, "random.Random() without a seed is seeded from the operating system"));
            }
        }
        boolean instances = calls.named(n -> n.equals("random.Random")).stream().anyMatch(l -> seeded(l.call()));
        if (!seeded && (!global.isEmpty() || !instances) && findings.isEmpty()) {
            if (!global.isEmpty()) {
                findings.add(at(
                        RANDOM,
                        global.get(0),
                        global.get(0).call().name() + " uses the global generator, but" + " random.seed is never called"
                                + more(global.size())));
            } else {
                calls.importSite("random", RANDOM, "random is imported but never seeded")
                        .ifPresent(findings::add);
            }
        }
        return findings.isEmpty() ? Outcome.pass(RANDOM) : Outcome.fail(RANDOM, findings.toArray(Finding[]::new));
    }

    private static String more(int n) {
        return n > 1 ? " (" + (n - 1) + " more use" + (n > 2 ? "s" : "") + ")" : "";
    }

    private static Outcome numpy(Calls calls) {
        // numpy imported for its arrays needs no seed; code that uses its random API does
        if (!calls.imports("numpy")
                || calls.named(n -> n.startsWith("numpy.random.")).isEmpty()) {
            return Outcome.notApplicable(NUMPY);
        }
        List<Located> seeds = calls.named(n -> n.equals("numpy.random.seed"));
        List<Finding> findings = new ArrayList<>(clockSeeds(NUMPY, seeds));
        boolean globalSeeded = seeds.stream().anyMatch(l -> seeded(l.call()));
        List<Located> generators = calls.named(n -> n.equals("numpy.random.default_rng")
                || n.equals("numpy.random.RandomState")
                || n.equals("numpy.random.SeedSequence"));
        for (Located l : generators) {
            if (!seeded(l.call())) {
                findings.add(at(
                        NUMPY,
                        l,
                        l.call().name() + "() without a seed draws a fresh seed from the operating"
                                + " system on every run"));
            }
        }
        List<Located> legacy = calls.named(n -> n.startsWith("numpy.random.")
                && !n.substring("numpy.random.".length()).contains(".")
                && !NUMPY_NOT_GLOBAL.contains(n.substring("numpy.random.".length())));
        if (!legacy.isEmpty() && !globalSeeded) {
            findings.add(at(
                    NUMPY,
                    legacy.get(0),
                    legacy.get(0).call().name() + " uses NumPy's legacy global"
                            + " generator, which is never seeded (np.random.seed)" + more(legacy.size())));
        }
        return findings.isEmpty() ? Outcome.pass(NUMPY) : Outcome.fail(NUMPY, findings.toArray(Finding[]::new));
    }

    private static Outcome torch(Calls calls) {
        if (!calls.imports("torch")) {
            return Outcome.notApplicable(TORCH);
        }
        List<Located> seeds = calls.named(TORCH_SEEDS::contains);
        List<Finding> findings = new ArrayList<>(clockSeeds(TORCH, seeds));
        if (seeds.stream().noneMatch(l -> seeded(l.call())) && findings.isEmpty()) {
            calls.importSite("torch", TORCH, "torch is imported but torch.manual_seed is never called")
                    .ifPresent(findings::add);
        }
        return findings.isEmpty() ? Outcome.pass(TORCH) : Outcome.fail(TORCH, findings.toArray(Finding[]::new));
    }

    private static Outcome torchDeterminism(Calls calls, List<PyModule> code) {
        if (!calls.imports("torch")) {
            return Outcome.notApplicable(TORCH_DETERMINISM);
        }
        List<Finding> findings = new ArrayList<>();
        boolean deterministic = calls
                .named(n -> n.equals("torch.use_deterministic_algorithms") || n.endsWith("enable_full_determinism"))
                .stream()
                .anyMatch(l -> !l.call().args().isEmpty()
                        && !l.call().args().get(0).text().equals("False"));
        deterministic |= calls.named(n -> n.endsWith("Trainer")).stream()
                .anyMatch(l -> l.call().keyword("deterministic") != null
                        && l.call().keyword("deterministic").text().equals("True"));
        for (PyModule m : code) {
            for (Assignment a : m.assignments()) {
                if (a.target().equals("torch.backends.cudnn.deterministic")
                        && a.value().equals("True")) {
                    deterministic = true;
                }
                if (a.target().equals("torch.backends.cudnn.benchmark")
                        && a.value().equals("True")) {
                    findings.add(Finding.at(
                            TORCH_DETERMINISM,
                            m.path(),
                            a.line(),
                            "torch.backends.cudnn.benchmark = True picks kernels by timing: results vary between runs",
                            "Set torch.backends.cudnn.benchmark = False for reproducible runs."));
                }
            }
        }
        if (!deterministic) {
            calls.importSite(
                            "torch",
                            TORCH_DETERMINISM,
                            "torch is imported but deterministic algorithms are not"
                                    + " requested (torch.use_deterministic_algorithms / cudnn.deterministic)")
                    .ifPresent(findings::add);
        }
        return findings.isEmpty()
                ? Outcome.pass(TORCH_DETERMINISM)
                : Outcome.fail(TORCH_DETERMINISM, findings.toArray(Finding[]::new));
    }

    private static Outcome tensorflow(Calls calls) {
        boolean tf = calls.imports("tensorflow");
        if (!tf && !calls.imports("keras")) {
            return Outcome.notApplicable(TENSORFLOW);
        }
        List<Located> seeds = calls.named(TF_SEEDS::contains);
        List<Finding> findings = new ArrayList<>(clockSeeds(TENSORFLOW, seeds));
        if (seeds.stream().noneMatch(l -> seeded(l.call())) && findings.isEmpty()) {
            String module = tf ? "tensorflow" : "keras";
            calls.importSite(
                            module,
                            TENSORFLOW,
                            module + " is imported but never seeded (tf.random.set_seed /"
                                    + " keras.utils.set_random_seed)")
                    .ifPresent(findings::add);
        }
        return findings.isEmpty()
                ? Outcome.pass(TENSORFLOW)
                : Outcome.fail(TENSORFLOW, findings.toArray(Finding[]::new));
    }

    private static Outcome sklearn(Calls calls) {
        List<Located> estimators = calls.named(n -> {
            String last = n.substring(n.lastIndexOf('.') + 1);
            boolean lib = n.startsWith("sklearn.") || n.startsWith("xgboost.") || n.startsWith("lightgbm.");
            return lib && (SKLEARN_RANDOM.contains(last) || SHUFFLE_SPLITTERS.contains(last));
        });
        int total = 0;
        List<Finding> findings = new ArrayList<>();
        for (Located l : estimators) {
            Call c = l.call();
            if (SHUFFLE_SPLITTERS.contains(c.lastName())
                    && (c.keyword("shuffle") == null
                            || !c.keyword("shuffle").text().equals("True"))) {
                continue; // without shuffling these splitters are deterministic
            }
            total++;
            Arg rs = c.keyword("random_state");
            if (rs == null || (rs.literal() != null && rs.literal().kind() == Literal.Kind.NONE)) {
                findings.add(at(
                        SKLEARN,
                        l,
                        c.lastName() + "(...) has no random_state: it draws from NumPy's global" + " generator"));
            }
        }
        if (total == 0) {
            return Outcome.notApplicable(SKLEARN);
        }
        return Outcome.partial(SKLEARN, (total - findings.size()) / (double) total, findings);
    }

    private static Outcome hashseed(Project p) {
        List<PyModule> code = p.programPython();
        for (String f : p.files(f -> !f.endsWith(".py") && !f.endsWith(".md") && !f.endsWith(".rst"))) {
            String text = p.text(f).orElse("");
            if (HASHSEED_SET.matcher(text).find()
                    || REPRISE_RUN_SEED.matcher(text).find()) {
                return Outcome.pass(HASHSEED);
            }
        }
        for (PyModule m : code) {
            for (Assignment a : m.assignments()) {
                if (a.target().equals("os.environ[\"PYTHONHASHSEED\"]")) {
                    return Outcome.partial(
                            HASHSEED,
                            0.5,
                            List.of(Finding.at(
                                    HASHSEED,
                                    m.path(),
                                    a.line(),
                                    "PYTHONHASHSEED is set inside Python: too late for the running interpreter, it only"
                                            + " reaches child processes")));
                }
            }
        }
        return Outcome.fail(
                HASHSEED,
                Finding.at(
                        HASHSEED,
                        null,
                        0,
                        "PYTHONHASHSEED is not set where the program is launched (Makefile, CI, Dockerfile, MLproject)"));
    }
}
