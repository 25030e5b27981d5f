package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code add}: start tracking files or folders, each with a {@code <name>.dvc} beside it. */
final class AddOp {
    private final Repo repo;

    AddOp(Repo repo) {
        this.repo = repo;
    }

    /** Returns the files to stage in git (.dvc files and .gitignores), empty without git. */
    List<Path> run(List<String> targets) {
        List<Path> paths = new ArrayList<>();
        for (String t : targets) {
            Path p = repo.resolve(t);
            if (!paths.contains(p)) {
                paths.add(p);
            }
        }
        // Folders being added are listed in full below; the search for other .dvc files skips them.
        List<Tracked> others = repo.trackedOutside(java.util.Set.copyOf(paths));
        for (int i = 0; i < targets.size(); i++) {
            check(targets.get(i), repo.resolve(targets.get(i)), others);
        }
        Git git = repo.git();
        if (git != null) {
            Set<Path> tracked = git.tracked(paths);
            for (Path p : paths) {
                if (tracked.contains(p)) {
                    throw new DataException("output '" + repo.show(p) + "' is already tracked by git; stop tracking it"
                            + " there first ('git rm -r --cached " + repo.show(p) + "'), then add it again.");
                }
            }
        }
        List<Saver.Target> saveTargets = new ArrayList<>();
        List<DvcFile> files = new ArrayList<>();
        for (Path p : paths) {
            Path dvcPath = p.resolveSibling(p.getFileName() + DvcFile.SUFFIX);
            DvcFile f = Files.exists(dvcPath) ? DvcFile.load(dvcPath, repo.show(dvcPath)) : DvcFile.create(dvcPath);
            List<Output> outs = f.outputs(repo.show(dvcPath));
            Output existing = outs.stream()
                    .filter(o -> p.getParent()
                            .resolve(f.wdir())
                            .resolve(o.path())
                            .normalize()
                            .equals(p))
                    .findFirst()
                    .orElse(new Output(p.getFileName().toString(), null, null, null, false, false, true));
            saveTargets.add(new Saver.Target(p, existing));
            files.add(f);
        }
        List<Saver.Saved> saved = new Saver(repo).save(saveTargets);
        Set<Path> toStage = new LinkedHashSet<>();
        for (int i = 0; i < saved.size(); i++) {
            DvcFile f = files.get(i);
            List<Output> outs = f.outputs(repo.show(f.file()));
            int index = outs.indexOf(saveTargets.get(i).out());
            f.saveOutput(index < 0 ? outs.size() : index, saved.get(i).out());
            f.write();
            toStage.add(f.file());
        }
        if (git != null) {
            toStage.addAll(ignoreInGit(git, paths));
        }
        return git == null ? List.of() : new ArrayList<>(toStage);
    }

    private void check(String target, Path p, List<Tracked> tracked) {
        if (!p.startsWith(repo.root) || p.equals(repo.root)) {
            throw new DataException(
                    "'" + target + "' is outside the repository " + repo.root + "; add paths below it.");
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new DataException("'" + target + "' does not exist.");
        }
        if (p.getFileName().toString().endsWith(DvcFile.SUFFIX)) {
            throw new DataException("'" + target + "' is a .dvc file; add the data it describes instead.");
        }
        String rel = repo.rel(p);
        try {
            if (repo.rulesAt(p.getParent()).ignoredWithParents(rel, Files.isDirectory(p))) {
                throw new DataException("'" + target + "' is ignored by .dvcignore (or is inside .dvc or .git);"
                        + " change the rules to track it.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        for (Tracked t : tracked) {
            boolean sameEntry = t.file().equals(p.resolveSibling(p.getFileName() + DvcFile.SUFFIX))
                    && t.path().equals(p);
            if (!sameEntry && (t.path().startsWith(p) || p.startsWith(t.path()))) {
                throw new DataException("Cannot add '" + target + "', because it is overlapping with other DVC tracked"
                        + " output: '" + repo.show(t.path()) + "' (in "
                        + repo.show(t.file())
                        + "). Track one or the other.");
            }
        }
    }

    private List<Path> ignoreInGit(Git git, List<Path> outputs) {
        List<Path> written = new ArrayList<>();
        Set<Path> ignored = git.ignored(outputs);
        try {
            for (Path p : outputs) {
                if (!ignored.contains(p)) {
                    written.add(Git.addIgnoreEntry(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot update .gitignore: " + e.getMessage(), e);
        }
        return written;
    }
}
