package io.reprise.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The audited folder: the files git tracks or would track under it, their text on demand and the
 * Python modules among them, parsed once. Symbolic links are never followed, so nothing outside
 * the folder is read.
 */
final class Project {
    /** Text files larger than this are not read (generated code, data): a warning says so. */
    static final long MAX_TEXT = 2L * 1024 * 1024;

    private static final Pattern VENDORED =
            Pattern.compile("(^|/)(site-packages|\\.venv|venv|node_modules|\\.tox|\\.nox|__pycache__)/");
    private static final Pattern TEST_FILE =
            Pattern.compile("(^|/)(tests?|testing)/|(^|/)test_[^/]*\\.py$|_test\\.py$|(^|/)conftest\\.py$");

    private final Path root;
    private final List<String> files;
    private final Map<String, Optional<String>> texts = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Notebook> notebooks = new HashMap<>();
    private Map<String, Long> committedSizes;
    private List<PyModule> modules;

    Project(Path root, List<String> files) {
        this.root = root;
        this.files =
                files.stream().filter(f -> !VENDORED.matcher(f).find()).sorted().toList();
    }

    /** Opens the folder {@code dir} of a git work tree. */
    static Project open(Path dir) {
        if (!Files.exists(dir)) {
            throw new AuditException("no such folder: " + dir, "pass the path of the repository to audit");
        }
        if (!Files.isDirectory(dir)) {
            throw new AuditException(dir + " is not a folder", "pass the path of the repository to audit");
        }
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new AuditException("cannot read " + dir + ": " + e.getMessage(), "check its permissions");
        }
        GitFiles.root(real); // fails with a clear message outside a work tree
        return new Project(real, GitFiles.files(real));
    }

    Path root() {
        return root;
    }

    List<String> files() {
        return files;
    }

    List<String> files(Predicate<String> which) {
        return files.stream().filter(which).toList();
    }

    boolean has(String path) {
        return files.contains(path);
    }

    /** Non-fatal problems met while reading (files skipped), for the report. */
    List<String> warnings() {
        return warnings;
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    /** The text of a project file, if it is a readable UTF-8 file of reasonable size. */
    Optional<String> text(String path) {
        return texts.computeIfAbsent(path, this::read);
    }

    /** The lines of a project file (empty when unreadable). */
    List<String> lines(String path) {
        return text(path).map(t -> t.lines().toList()).orElse(List.of());
    }

    private Optional<String> read(String path) {
        return read(path, MAX_TEXT);
    }

    private Optional<String> read(String path, long limit) {
        Path p = root.resolve(path).normalize();
        if (!p.startsWith(root) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            if (Files.size(p) > limit) {
                warn(path + ": larger than " + (limit >> 20) + " MiB, not read");
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(p);
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty(); // binary
        } catch (IOException e) {
            warn(path + ": cannot be read (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /** Sizes of the files committed to git (the index), by path. */
    Map<String, Long> committedSizes() {
        if (committedSizes == null) {
            committedSizes = GitFiles.committedSizes(root);
        }
        return committedSizes;
    }

    /** Notebooks may carry outputs (images): they are read up to this size. */
    static final long MAX_NOTEBOOK = 20L * 1024 * 1024;

    /**
     * Every Python module that parses, notebooks (.ipynb: their code cells) included; the others are
     * reported as warnings.
     */
    List<PyModule> python() {
        if (modules == null) {
            List<PyModule> parsed = new ArrayList<>();
            for (String f : files(p -> p.endsWith(".py") || p.endsWith(".ipynb"))) {
                // read, not text(): the sources are not kept once parsed (large repositories)
                boolean notebook = f.endsWith(".ipynb");
                Optional<String> text =
                        texts.containsKey(f) ? texts.get(f) : read(f, notebook ? MAX_NOTEBOOK : MAX_TEXT);
                text.flatMap(t -> notebook ? notebookSource(f, t) : Optional.of(t))
                        .ifPresent(source -> parse(f, source).ifPresent(parsed::add));
            }
            modules = List.copyOf(parsed);
        }
        return modules;
    }

    private Optional<PyModule> parse(String f, String source) {
        try {
            PyModule m = PyParser.parse(f, source, Project::concernsAudit);
            return Optional.of(new PyModule(
                    m.path(),
                    m.imports(),
                    m.aliases(),
                    m.calls(),
                    m.assignments().stream()
                            .filter(a -> concernsAudit(a.target()))
                            .toList(),
                    m.dictEntries(),
                    m.strings()));
        } catch (PyTokenizer.SyntaxError e) {
            warn(f + ":" + e.line + ": not analysed, it does not parse (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /** A notebook's code cells as one source; the notebook is kept to place findings in it. */
    private Optional<String> notebookSource(String f, String json) {
        try {
            Notebook nb = Notebook.read(f, json);
            notebooks.put(f, nb);
            nb.warnings().forEach(this::warn);
            return Optional.of(nb.source());
        } catch (java.io.IOException e) {
            warn(f + ": not analysed, it is not a readable notebook (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /**
     * The finding with its place in the notebook it is about: the cell and line in it, and the line
     * and column of the .ipynb file that hold the code. Other findings are returned as they are.
     */
    Finding locate(Finding f) {
        Notebook nb = f.file() == null ? null : notebooks.get(f.file());
        Notebook.Place place = nb == null ? null : nb.place(f.line());
        if (place == null) {
            return f;
        }
        return new Finding(
                f.rule(),
                f.file(),
                place.jsonLine(),
                Notebook.jsonColumn(place, f.column()),
                f.message(),
                f.fix(),
                new Notebook.Cell(place.cell(), place.cellLine(), f.column()));
    }

    private static final java.util.Set<String> AUDITED_MODULES = java.util.Set.of(
            "random",
            "numpy",
            "torch",
            "tensorflow",
            "keras",
            "tf_keras",
            "sklearn",
            "xgboost",
            "lightgbm",
            "mlflow",
            "hydra",
            "omegaconf",
            "dvc",
            "lightning",
            "pytorch_lightning",
            "lightning_fabric",
            "transformers",
            "accelerate");
    private static final java.util.Set<String> LOGGING_METHODS =
            java.util.Set.of("log_param", "log_params", "log_metric", "log_metrics", "autolog");

    /**
     * Whether a call can matter to a rule: of a library the rules know, with a hyper-parameter keyword,
     * a logging method, or a Trainer. The others are dropped at parse time, which keeps a tree of ten
     * thousand modules within a small heap.
     */
    static boolean concernsAudit(PyModule.Call c) {
        String top = c.name().split("\\.", 2)[0];
        return AUDITED_MODULES.contains(top)
                || LOGGING_METHODS.contains(c.lastName())
                || c.name().endsWith("Trainer")
                || c.args().stream()
                        .anyMatch(a -> a.keyword() != null && ConfigChecks.HYPERPARAMETERS.contains(a.keyword()));
    }

    /** Assignments the rules read: to audited libraries' settings and to os.environ. */
    static boolean concernsAudit(String target) {
        return target.startsWith("os.environ[") || AUDITED_MODULES.contains(target.split("\\.", 2)[0]);
    }

    /** Python modules of the program itself (tests excluded: they may hard-code what they check). */
    List<PyModule> programPython() {
        return python().stream().filter(m -> !isTest(m.path())).toList();
    }

    static boolean isTest(String path) {
        return TEST_FILE.matcher(path).find();
    }

    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** The 1-based line of the first line matching {@code pattern}, 0 if none. */
    int lineOf(String path, Pattern pattern) {
        List<String> lines = lines(path);
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).find()) {
                return i + 1;
            }
        }
        return 0;
    }
}
