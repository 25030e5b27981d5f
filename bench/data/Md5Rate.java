import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Single-core md5 rate of Java's MessageDigest (the one reprise uses) on a file already in the page
 * cache: reads it through a 1 MiB direct buffer, as reprise does, a few times, and prints the best
 * rate in MB/s (10^6 bytes per second) and the thread's CPU seconds, then the md5.
 * Usage: java bench/data/Md5Rate.java FILE [ROUNDS]
 */
public final class Md5Rate {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        double best = 0;
        double cpuAtBest = 0;
        String hex = null;
        for (int r = 0; r < rounds + 1; r++) { // the first round warms up the JIT (C2's md5 intrinsic)
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            MessageDigest md = MessageDigest.getInstance("MD5");
            long size = 0;
            try (FileChannel in = FileChannel.open(file)) {
                for (int n; (n = in.read(buf.clear())) >= 0; ) {
                    buf.flip();
                    md.update(buf);
                    size += n;
                }
            }
            hex = HexFormat.of().formatHex(md.digest());
            double secs = (System.nanoTime() - t0) / 1e9;
            double rate = size / secs / 1e6;
            if (r > 0 && rate > best) {
                best = rate;
                cpuAtBest = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            }
        }
        System.out.printf("%.0f %.3f %s%n", best, cpuAtBest, hex);
    }
}
