package io.reprise.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the machine's description from /proc and /etc (cheap files), and GPUs from nvidia-smi. */
final class SystemProbe {
    private SystemProbe() {}

    static SystemInfo probe(Path workDir, Map<String, String> env) {
        return new SystemInfo(
                osName(),
                System.getProperty("os.version"),
                System.getProperty("os.arch"),
                field(Path.of("/proc/cpuinfo"), "model name").orElse(null),
                Runtime.getRuntime().availableProcessors(),
                field(Path.of("/proc/meminfo"), "MemTotal")
                        .map(v -> Long.parseLong(v.replace("kB", "").strip()) * 1024)
                        .orElse(-1L),
                gpus(workDir, env));
    }

    private static String osName() {
        return field(Path.of("/etc/os-release"), "PRETTY_NAME", '=')
                .map(v -> v.replace("\"", ""))
                .orElse(System.getProperty("os.name"));
    }

    private static List<String> gpus(Path workDir, Map<String, String> env) {
        Optional<Path> smi = PythonProbe.resolve("nvidia-smi", workDir, env);
        if (smi.isEmpty()) {
            return List.of();
        }
        Exec.Result r = Exec.run(
                workDir,
                env,
                Duration.ofSeconds(10),
                List.of(smi.get().toString(), "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader"));
        return r.ok()
                ? r.stdout()
                        .lines()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .toList()
                : List.of();
    }

    private static Optional<String> field(Path file, String key) {
        return field(file, key, ':');
    }

    private static Optional<String> field(Path file, String key, char separator) {
        try {
            for (String line : Files.readAllLines(file)) {
                int i = line.indexOf(separator);
                if (i > 0 && line.substring(0, i).strip().equals(key)) {
                    return Optional.of(line.substring(i + 1).strip());
                }
            }
        } catch (IOException e) {
            // not Linux, or not readable: unknown
        }
        return Optional.empty();
    }
}
