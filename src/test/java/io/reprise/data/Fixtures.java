package io.reprise.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Workspace trees with the names and shapes that break naive implementations, and ways to compare them. */
final class Fixtures {
    /** Single-file outputs whose names test .dvc YAML quoting and .gitignore escaping. */
    static final String[] FILE_OUTPUTS = {
        "plain.csv",
        "with space.txt",
        "é 😀 naïve.txt",
        "#hash.txt",
        "true",
        "123",
        "[br]*?!.bin",
        "it's.txt",
        "a very long file name with spaces that goes on and on well past the eighty column mark.txt",
        "empty.txt",
        "run.sh"
    };

    private Fixtures() {}

    /** Creates {@link #FILE_OUTPUTS} and the folder {@code data} in {@code dir}. */
    static void create(Path dir) {
        for (String name : FILE_OUTPUTS) {
            write(dir.resolve(name), name.equals("empty.txt") ? "" : "content of " + name + "\n");
        }
        exec(dir.resolve("run.sh"));
        Path data = dir.resolve("data");
        write(data.resolve("a.csv"), "x,y\n1,2\n");
        write(data.resolve("empty"), "");
        write(data.resolve("nested/deeper/leaf.txt"), "leaf\n");
        write(data.resolve("with space/a b.txt"), "spaces\n");
        write(data.resolve("é.txt"), "e-acute\n");
        write(data.resolve("😀.txt"), "emoji above U+FFFF\n");
        write(data.resolve("ｚ.txt"), "fullwidth z, sorts before the emoji by code point\n");
        write(data.resolve("Z.txt"), "upper\n");
        write(data.resolve("[x]*?#!.txt"), "glob characters\n");
        write(data.resolve("dup1"), "same\n");
        write(data.resolve("dup2"), "same\n");
        write(data.resolve("tool.sh"), "#!/bin/sh\necho hi\n");
        exec(data.resolve("tool.sh"));
        mkdirs(data.resolve("empty folder"));
        mkdirs(data.resolve("nested/empty inside"));
        mkdirs(dir.resolve("emptydir"));
    }

    static void write(Path p, String content) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void exec(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every regular file below {@code dir} (skipping .git and .dvc): relpath -> content, and the exec bit
     * for top-level files (DVC records it for file outputs only, not for files inside folders).
     */
    static Map<String, String> snapshot(Path dir, String... skipTop) {
        Set<String> skip = Set.of(skipTop);
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
                    .forEach(p -> {
                        String rel = dir.relativize(p).toString();
                        String top = rel.split("/", -1)[0];
                        if (top.equals(".git") || top.equals(".dvc") || skip.contains(top)) {
                            return;
                        }
                        out.put(rel, describe(p, !rel.contains("/")));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String describe(Path p, boolean withExec) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            boolean exec = withExec && perms.contains(PosixFilePermission.OWNER_EXECUTE);
            return Md5.of(Files.readAllBytes(p)) + (exec ? " x" : "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file below {@code dir}: relpath -> bytes as text (for .dvc files and cache objects). */
    static Map<String, String> contents(Path dir) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile)
                    .forEach(p -> out.put(dir.relativize(p).toString(), read(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
