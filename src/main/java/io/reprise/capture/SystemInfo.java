package io.reprise.capture;

import java.util.List;

/**
 * The machine a run ran on.
 *
 * @param os distribution name (e.g. {@code Debian GNU/Linux 12 (bookworm)}) or the JVM's os.name
 * @param kernel kernel release ({@code uname -r})
 * @param arch CPU architecture
 * @param cpuModel CPU model name, null when unknown
 * @param cores processors available to the run
 * @param memoryBytes total memory, -1 when unknown
 * @param gpus one line per GPU from nvidia-smi ({@code name, memory MiB, driver}); empty without one
 */
record SystemInfo(
        String os, String kernel, String arch, String cpuModel, int cores, long memoryBytes, List<String> gpus) {}
