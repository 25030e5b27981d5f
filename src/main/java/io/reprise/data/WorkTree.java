package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;

/**
 * Lists the files of a directory output as DVC does: .dvcignore rules apply, links to files are
 * followed, links to folders and empty folders are skipped, and a .dvcignore inside is an error.
 */
final class WorkTree {
    private WorkTree() {}

    private record Child(Path path, String name, String sortKey, BasicFileAttributes attrs, boolean isDir) {}

    /**
     * @param dir the output folder
     * @param dirRel its path relative to the repo root ({@code /}-separated)
     * @param rules the ignore rules in force at {@code dir} (from the root and the folders above it)
     * @param shownDir the folder as the user named it, for messages
     */
    static List<FileInfo> list(Path dir, String dirRel, IgnoreRules rules, String shownDir) throws IOException {
        // Sub-folders are listed in parallel: 100,000 files are 100,000 lstat calls.
        ForkJoinPool pool = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
        try {
            return pool.invoke(new Walk(dir, "", dirRel, rules, shownDir));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            pool.shutdownNow();
        }
    }

    // One lstat. The Basic view, not the Posix one: a manifest records no permission bits, and the
    // Posix view's permission set cost a third of the walk's CPU (100,000 files: 0.3 s).
    private static BasicFileAttributes attributes(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        return dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes();
    }

    private static boolean hasSurrogate(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (Character.isSurrogate(name.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The files below one folder, in manifest order; sub-folders are forked. */
    private static final class Walk extends RecursiveTask<List<FileInfo>> {
        private static final long serialVersionUID = 1L;
        private final transient Path dir;
        private final String rel;
        private final String dirRel;
        private final transient IgnoreRules rules;
        private final String shownDir;

        Walk(Path dir, String rel, String dirRel, IgnoreRules rules, String shownDir) {
            this.dir = dir;
            this.rel = rel;
            this.dirRel = dirRel;
            this.rules = rules;
            this.shownDir = shownDir;
        }

        @Override
        protected List<FileInfo> compute() {
            try {
                return walk();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        // The work per entry is in methods of its own (child, part): C1 compiles a method after a
        // few hundred calls, and walk() is called once per folder, so a loop body inside it would run
        // in the interpreter for the first hundred folders or so.
        private List<FileInfo> walk() throws IOException {
            List<Child> children = new ArrayList<>();
            boolean surrogates = false;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                // Where the stream is a SecureDirectoryStream (Linux), each entry is stat'ed by its name
                // relative to the open folder (fstatat): the kernel resolves one path component instead
                // of every folder from the root, a tenth of status's CPU on 100,000 files.
                SecureDirectoryStream<Path> at = ds instanceof SecureDirectoryStream<Path> sds ? sds : null;
                for (Path child : ds) {
                    Child c = child(at, child);
                    children.add(c);
                    surrogates = surrogates || hasSurrogate(c.name());
                }
            }
            // In manifest order (paths by code point) straight from the walk: sorting a folder's entries
            // with "/" after sub-folder names orders every path below them as a sort of the full paths would.
            // String order is code point order unless a name holds a surrogate (see CODE_POINT_ORDER);
            // the plain compareTo is the cheaper of the two.
            children.sort(
                    surrogates
                            ? (a, b) -> DirManifest.CODE_POINT_ORDER.compare(a.sortKey(), b.sortKey())
                            : (a, b) -> a.sortKey().compareTo(b.sortKey()));
            // Each entry: a FileInfo, or the forked walk of a sub-folder, joined in order below.
            List<Object> parts = new ArrayList<>(children.size());
            for (Child c : children) {
                Object part = part(c);
                if (part != null) {
                    parts.add(part);
                }
            }
            List<FileInfo> out = new ArrayList<>(parts.size());
            for (Object part : parts) {
                if (part instanceof Walk sub) {
                    out.addAll(sub.join());
                } else {
                    out.add((FileInfo) part);
                }
            }
            return out;
        }

        private Child child(SecureDirectoryStream<Path> at, Path child) throws IOException {
            Path namePath = child.getFileName();
            String name = namePath.toString();
            if (name.equals(IgnoreRules.FILE_NAME)) {
                throw new DataException(".dvcignore file should not be in collected dir path: '"
                        + (rel.isEmpty() ? shownDir : shownDir + "/" + rel)
                        + "'. Move its rules to a .dvcignore above '" + shownDir + "'.");
            }
            BasicFileAttributes attrs = at != null ? attributes(at, namePath) : attributes(child);
            boolean isDir = attrs.isDirectory() || (attrs.isSymbolicLink() && Files.isDirectory(child));
            return new Child(child, name, isDir ? name + "/" : name, attrs, isDir);
        }

        // A FileInfo, a forked walk of a sub-folder, or null for an entry the output leaves out.
        private Object part(Child c) throws IOException {
            String name = c.name();
            String childRel = rel.isEmpty() ? name : rel + "/" + name;
            if (rules.namesOnly()
                    ? rules.ignoredName(name, c.isDir())
                    : rules.ignored(dirRel + "/" + childRel, c.isDir())) {
                return null;
            }
            BasicFileAttributes attrs = c.attrs();
            if (attrs.isDirectory()) {
                return new Walk(c.path(), childRel, dirRel, rules, shownDir).fork();
            }
            if (attrs.isSymbolicLink()) {
                return Files.isRegularFile(c.path()) ? FileInfo.inFolder(dir, name, childRel, attrs) : null;
            }
            return attrs.isRegularFile() ? FileInfo.inFolder(dir, name, childRel, attrs) : null;
        }
    }
}
