package io.reprise.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Phase timings on stderr, wall and process CPU, when {@code REPRISE_DATA_TIMINGS} is set: the
 * numbers behind bench/RESULTS.md's analysis, without a profiler. Off, each call is one branch.
 */
final class Timings {
    private static final boolean ON = System.getenv("REPRISE_DATA_TIMINGS") != null;
    private static long lastWall = ON ? startMs() : 0;
    private static long lastCpu = 0;

    private Timings() {}

    /** Prints the wall and CPU time since the previous mark, labelled {@code phase}. */
    static synchronized void mark(String phase) {
        if (!ON) {
            return;
        }
        long wall = System.currentTimeMillis();
        long cpu = cpuMs();
        System.err.printf("[timing] %-28s wall %5d ms  cpu %5d ms%n", phase, wall - lastWall, cpu - lastCpu);
        lastWall = wall;
        lastCpu = cpu;
    }

    // From the process's start: the first mark shows the JVM's and the command line's share.
    private static long startMs() {
        return ProcessHandle.current()
                .info()
                .startInstant()
                .map(java.time.Instant::toEpochMilli)
                .orElse(System.currentTimeMillis());
    }

    // utime + stime of the whole process from /proc (10 ms ticks); 0 where there is no /proc.
    private static long cpuMs() {
        if (!ON) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
