package io.reprise.audit;

import static io.reprise.audit.Category.ENVIRONMENT;

import io.reprise.capture.DependencyPinning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Dependencies locked with hashes and consistent, Python pinned, base images by digest, one-command setup. */
final class EnvironmentChecks {
    static final Rule LOCK = new Rule(
            "env.lock",
            ENVIRONMENT,
            6,
            Severity.HIGH,
            "Dependencies are locked with hashes",
            "Unpinned dependencies resolve to new versions over time: the same code trains a different model"
                    + " next month. Hashes also make sure the files installed are the ones that were tested.",
            "Generate a lock file with hashes: 'uv lock' (uv.lock), 'poetry lock', or 'uv pip compile"
                    + " requirements.in --generate-hashes -o requirements.txt', and commit it.");
    static final Rule CONSISTENT = new Rule(
            "env.lock-consistent",
            ENVIRONMENT,
            2,
            Severity.MEDIUM,
            "The lock file covers every declared dependency",
            "A lock file that misses a declared dependency is stale: installing from it gives an environment"
                    + " that differs from what the code expects.",
            "Regenerate the lock file from the declared dependencies and commit both together.");
    static final Rule PYTHON = new Rule(
            "env.python-version",
            ENVIRONMENT,
            2,
            Severity.MEDIUM,
            "The Python version is pinned",
            "Python minor versions change numerics, hashing and library wheels; a result reproduced on another"
                    + " interpreter may differ.",
            "Write the version in .python-version (e.g. 3.11), python_env.yaml ('python: \"3.11\"') or"
                    + " requires-python = \"==3.11.*\".");
    static final Rule DOCKER = new Rule(
            "env.docker-digest",
            ENVIRONMENT,
            2,
            Severity.MEDIUM,
            "Container base images are pinned by digest",
            "A tag such as python:3.11 is moved to new images; only a digest names the same image forever.",
            "Pin the base image: FROM python:3.11-slim@sha256:<digest> (docker buildx imagetools inspect"
                    + " python:3.11-slim prints it).");
    static final Rule SETUP = new Rule(
            "env.setup-command",
            ENVIRONMENT,
            2,
            Severity.LOW,
            "The environment is set up with one command",
            "Multi-step manual setup is where environments drift between people; one command is repeatable.",
            "Add a Makefile target 'setup' (or a scripts/setup.sh) that creates the environment from the lock"
                    + " file, and show it in the README.");

    private static final Set<String> LOCK_NAMES = Set.of("uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock");
    private static final Pattern FROM = Pattern.compile("(?i)^\\s*FROM\\s+(?:--\\S+\\s+)*(\\S+)(?:\\s+AS\\s+(\\S+))?");
    private static final Pattern SETUP_TARGET =
            Pattern.compile("(?m)^(setup|install|env|venv|init|bootstrap|deps|requirements|sync)\\s*:");
    private static final Pattern MISE_SETUP_TASK =
            Pattern.compile("(?m)^\\[(tasks|feature\\.\\w+\\.tasks)\\.\"?(setup|install|bootstrap|init)\"?\\]");
    private static final Pattern SETUP_COMMAND = Pattern.compile(
            "(?m)^\\s*(\\$\\s*)?(make (setup|install|env|venv|init|bootstrap|deps)|just (setup|install|bootstrap)"
                    + "|uv sync|poetry install|pdm install|pipenv (install|sync)|conda env create|mamba env create"
                    + "|pip install (--require-hashes )?-r \\S+|python -m pip install (--require-hashes )?-r \\S+"
                    + "|\\./scripts/(setup|bootstrap|install)\\.sh)\\b");

    private EnvironmentChecks() {}

    static List<Outcome> run(Project p) {
        List<String> deps = p.files(f -> isPythonDependencyFile(Project.fileName(f)));
        return List.of(lock(p, deps), consistent(p), python(p), docker(p), setup(p));
    }

    private static boolean isPythonDependencyFile(String name) {
        boolean python = DependencyPinning.isDependencyFile(name)
                && !Set.of("pom.xml", "package-lock.json", "go.sum", "Cargo.lock")
                        .contains(name);
        return python || LOCK_NAMES.contains(name);
    }

    // ---- lock

    private static Outcome lock(Project p, List<String> deps) {
        if (deps.isEmpty()) {
            return Outcome.fail(
                    LOCK,
                    Finding.at(
                            LOCK,
                            null,
                            0,
                            "no dependency file (requirements.txt, pyproject.toml + lock, environment.yml): nobody"
                                    + " can rebuild the environment"));
        }
        List<Finding> findings = new ArrayList<>();
        boolean locked = false;
        boolean pinned = false;
        boolean loose = false;
        for (String f : deps) {
            String verdict = verdict(p, f);
            switch (verdict) {
                case "locked" -> locked = true;
                case "pinned" -> {
                    pinned = true;
                    findings.add(Finding.at(
                            LOCK,
                            f,
                            0,
                            f + " pins exact versions but has no hashes",
                            "Add hashes: 'uv pip compile " + inputOf(f) + " --generate-hashes -o " + f
                                    + "' (or pip-compile --generate-hashes)."));
                }
                case "unpinned" -> {
                    loose = true;
                    findings.add(unpinned(p, f));
                }
                default -> {}
            }
        }
        if (locked && !loose && !pinned) {
            return Outcome.pass(LOCK);
        }
        if (!locked && findings.isEmpty()) {
            findings.add(
                    Finding.at(LOCK, deps.get(0), 0, String.join(", ", deps) + ": no lock file pins the environment"));
        }
        double earned = locked ? 0.75 : pinned && !loose ? 0.5 : pinned || loose ? 0.25 : 0;
        return Outcome.partial(LOCK, earned, findings);
    }

    /** The capture verdict, plus: an empty requirements file that demands hashes is a lock of nothing. */
    private static String verdict(Project p, String f) {
        DependencyPinning.Verdict v = DependencyPinning.of(p.root().resolve(f));
        if (v.pinning().equals("unknown")
                && Project.fileName(f).matches("requirements.*\\.txt")
                && p.text(f).orElse("").contains("--require-hashes")) {
            return "locked";
        }
        if (Project.fileName(f).equals("requirements.in")) {
            return "input"; // the input of a lock, judged by the consistency rule
        }
        return v.pinning();
    }

    private static String inputOf(String lockFile) {
        return lockFile.replaceFirst("\\.txt$", ".in");
    }

    private static Finding unpinned(Project p, String f) {
        String name = Project.fileName(f);
        if (name.equals("pyproject.toml")) {
            return Finding.at(
                    LOCK,
                    f,
                    p.lineOf(f, Pattern.compile("^\\s*dependencies\\s*=")),
                    f + " declares version ranges and no lock file (uv.lock, poetry.lock, pdm.lock) is beside it",
                    "Run 'uv lock' (or 'poetry lock') and commit the lock file.");
        }
        List<String> lines = p.lines(f);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).replaceAll("(^|\\s)#.*", "").strip();
            if (!l.isEmpty() && !l.startsWith("-") && !l.contains("==") && !l.contains(" @ ") && !l.endsWith(":")) {
                return Finding.at(
                        LOCK,
                        f,
                        i + 1,
                        "'" + l + "' is not pinned: any future version may be installed",
                        "Pin every requirement with == and add hashes (uv pip compile --generate-hashes).");
            }
        }
        return Finding.at(LOCK, f, 0, f + " does not pin every dependency exactly");
    }

    // ---- consistency between declared and locked dependencies

    private static Outcome consistent(Project p) {
        Map<String, Map<String, Integer>> declared = new LinkedHashMap<>(); // file -> name -> line
        Set<String> locked = new LinkedHashSet<>();
        boolean anyLock = false;
        for (String f : p.files()) {
            String name = Project.fileName(f);
            if (name.equals("pyproject.toml")) {
                declared.put(f, pyprojectDependencies(p.lines(f)));
            } else if (name.equals("requirements.in")) {
                declared.put(f, requirementNames(p.lines(f), false));
            } else if (LOCK_NAMES.contains(name) && !name.equals("Pipfile.lock")) {
                anyLock = true;
                Matcher m = Pattern.compile("(?m)^name\\s*=\\s*\"([^\"]+)\"")
                        .matcher(p.text(f).orElse(""));
                while (m.find()) {
                    locked.add(normalise(m.group(1)));
                }
            } else if (name.matches("requirements.*\\.txt")
                    && p.text(f).orElse("").contains("--hash")) {
                anyLock = true;
                locked.addAll(requirementNames(p.lines(f), true).keySet());
            }
        }
        declared.values().removeIf(Map::isEmpty);
        if (!anyLock || declared.isEmpty()) {
            return Outcome.notApplicable(CONSISTENT);
        }
        List<Finding> findings = new ArrayList<>();
        declared.forEach((file, names) -> names.forEach((dep, line) -> {
            if (!locked.contains(dep)) {
                findings.add(Finding.at(
                        CONSISTENT,
                        file,
                        line,
                        "'" + dep + "' is declared here but missing from the lock file: the lock is stale"));
            }
        }));
        return findings.isEmpty()
                ? Outcome.pass(CONSISTENT)
                : Outcome.fail(CONSISTENT, findings.toArray(Finding[]::new));
    }

    /** The names in [project] dependencies = [...], with their lines. */
    static Map<String, Integer> pyprojectDependencies(List<String> lines) {
        Map<String, Integer> names = new LinkedHashMap<>();
        String section = "";
        boolean inList = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (!inList && l.startsWith("[")) {
                section = l;
                continue;
            }
            if (section.equals("[project]") && !inList && l.matches("dependencies\\s*=\\s*\\[.*")) {
                inList = true;
                l = l.substring(l.indexOf('[') + 1);
            }
            if (inList) {
                Matcher m = Pattern.compile("[\"']([A-Za-z0-9][A-Za-z0-9._-]*)").matcher(l.replaceAll("#.*", ""));
                while (m.find()) {
                    names.putIfAbsent(normalise(m.group(1)), i + 1);
                }
                if (l.replaceAll("[\"'][^\"']*[\"']", "").contains("]")) {
                    inList = false;
                }
            }
        }
        return names;
    }

    private static Map<String, Integer> requirementNames(List<String> lines, boolean continuationsToo) {
        Map<String, Integer> names = new LinkedHashMap<>();
        boolean continued = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).replaceAll("(^|\\s)#.*", "").strip();
            boolean wasContinued = continued;
            continued = l.endsWith("\\");
            if ((wasContinued && continuationsToo) || l.isEmpty() || l.startsWith("-")) {
                continue;
            }
            Matcher m = Pattern.compile("^([A-Za-z0-9][A-Za-z0-9._-]*)").matcher(l);
            if (m.find()) {
                names.putIfAbsent(normalise(m.group(1)), i + 1);
            }
        }
        return names;
    }

    /** PEP 503 name normalisation. */
    static String normalise(String name) {
        return Project.lower(name).replaceAll("[-_.]+", "-");
    }

    // ---- python version

    private static Outcome python(Project p) {
        for (String f : p.files()) {
            String name = Project.fileName(f);
            if ((name.equals(".python-version") || name.equals("runtime.txt"))
                    && p.text(f).orElse("").strip().matches("(python-)?3\\.\\d+.*")) {
                return Outcome.pass(PYTHON);
            }
            if (name.equals("python_env.yaml") && p.lineOf(f, Pattern.compile("^python\\s*:\\s*\\S")) > 0) {
                return Outcome.pass(PYTHON);
            }
            if (name.matches("environment\\.ya?ml")
                    && p.lineOf(f, Pattern.compile("-\\s*python\\s*=+\\s*3\\.\\d+")) > 0) {
                return Outcome.pass(PYTHON);
            }
        }
        for (String f : p.files(f -> Project.fileName(f).equals("pyproject.toml"))) {
            int line = p.lineOf(f, Pattern.compile("^\\s*requires-python\\s*="));
            if (line > 0) {
                String spec = p.lines(f).get(line - 1);
                if (spec.matches(".*[\"'](==|~=)\\s*3\\.\\d+.*")) {
                    return Outcome.pass(PYTHON);
                }
                return Outcome.partial(
                        PYTHON,
                        0.5,
                        List.of(Finding.at(
                                PYTHON,
                                f,
                                line,
                                "requires-python allows a range of versions; which one was used is not recorded",
                                "Add a .python-version file with the exact version used (uv python pin 3.11).")));
            }
        }
        return Outcome.fail(PYTHON, Finding.at(PYTHON, null, 0, "no file says which Python version to use"));
    }

    // ---- docker

    private static Outcome docker(Project p) {
        List<String> dockerfiles = p.files(f -> {
            String n = Project.fileName(f);
            return n.equals("Dockerfile")
                    || n.equals("Containerfile")
                    || n.endsWith(".Dockerfile")
                    || n.startsWith("Dockerfile.");
        });
        if (dockerfiles.isEmpty()) {
            return Outcome.notApplicable(DOCKER);
        }
        int total = 0;
        List<Finding> findings = new ArrayList<>();
        for (String f : dockerfiles) {
            Set<String> stages = new LinkedHashSet<>();
            List<String> lines = p.lines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = FROM.matcher(lines.get(i));
                if (!m.find()) {
                    continue;
                }
                String image = m.group(1);
                if (m.group(2) != null) {
                    stages.add(Project.lower(m.group(2)));
                }
                if (image.equals("scratch") || stages.contains(Project.lower(image)) || image.startsWith("$")) {
                    continue;
                }
                total++;
                if (!image.contains("@sha256:")) {
                    findings.add(Finding.at(
                            DOCKER,
                            f,
                            i + 1,
                            "base image '" + image + "' is not pinned by digest",
                            "Use FROM " + image + "@sha256:<digest> (docker buildx imagetools inspect " + image
                                    + " shows it)."));
                }
            }
        }
        if (total == 0) {
            return Outcome.notApplicable(DOCKER);
        }
        return Outcome.partial(DOCKER, (total - findings.size()) / (double) total, findings);
    }

    // ---- setup

    private static Outcome setup(Project p) {
        for (String f : p.files()) {
            String n = Project.fileName(f);
            if ((n.equals("Makefile") || n.equals("justfile") || n.equals("Justfile") || n.equals("GNUmakefile"))
                    && SETUP_TARGET.matcher(p.text(f).orElse("")).find()) {
                return Outcome.pass(SETUP);
            }
            if (f.matches("(scripts/)?(setup|bootstrap|install)(_env)?\\.sh")) {
                return Outcome.pass(SETUP);
            }
            if ((n.equals("mise.toml") || n.equals(".mise.toml") || n.equals("pixi.toml"))
                    && MISE_SETUP_TASK.matcher(p.text(f).orElse("")).find()) {
                return Outcome.pass(SETUP);
            }
            if (n.equals("Taskfile.yml") || n.equals("noxfile.py") || n.equals("tox.ini")) {
                return Outcome.pass(SETUP);
            }
            if (Project.lower(n).startsWith("readme")
                    && SETUP_COMMAND.matcher(p.text(f).orElse("")).find()) {
                return Outcome.pass(SETUP);
            }
        }
        return Outcome.fail(
                SETUP,
                Finding.at(SETUP, null, 0, "no one-command setup (Makefile target, setup script or README command)"));
    }
}
