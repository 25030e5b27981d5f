package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonProbeTest {
    @TempDir
    Path dir;

    @Test
    void interpreterIsTheCommandOrTheShebangOfAScriptOrEntryPoint() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("venv/bin"));
        Path python = executable(bin.resolve("python3.11"), "#!/bin/sh\n");
        executable(bin.resolve("pytest"), "#!" + python + "\nimport pytest\n");
        executable(dir.resolve("train.py"), "#!/usr/bin/env -S python3.11 -u\nprint(1)\n");
        executable(bin.resolve("make"), "\u007fELF...");
        Map<String, String> env = Map.of("PATH", bin.toString());

        assertThat(PythonProbe.interpreter(List.of("python3.11", "x.py"), dir, env))
                .contains(python);
        assertThat(PythonProbe.interpreter(List.of("pytest", "-q"), dir, env)).contains(python);
        assertThat(PythonProbe.interpreter(List.of("./train.py"), dir, env)).contains(python);
        assertThat(PythonProbe.interpreter(List.of("make", "train"), dir, env)).isEmpty();
        assertThat(PythonProbe.interpreter(List.of("missing"), dir, env)).isEmpty();
    }

    @Test
    void probeReportsVersionAndInstalledDistributionsLikePipFreeze() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.createDirectories(site.resolve("Foo_Bar-1.2.3.dist-info"));
        Path editable = Files.createDirectories(site.resolve("mypkg-0.1.dist-info"));
        Files.writeString(
                editable.resolve("direct_url.json"),
                "{\"url\": \"file:///src/mypkg\", \"dir_info\": {\"editable\": true}}");
        Path python = PythonProbe.resolve("python3", dir, System.getenv()).orElseThrow();

        PythonEnv env =
                PythonProbe.probe(python, dir, Map.of("PYTHONPATH", site.toString(), "PATH", System.getenv("PATH")));

        assertThat(env.version()).matches("3\\.\\d+\\.\\d+");
        assertThat(env.packages()).contains("foo-bar==1.2.3", "-e file:///src/mypkg");
    }

    private static Path executable(Path p, String content) throws Exception {
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
