package io.reprise.data;

import java.util.HexFormat;

/**
 * MurmurHash3 (x64, 128 bits) over a stream of longs: the fingerprint of a folder walk (see
 * {@link DirMemo}). Not MD5: that fingerprint is hashed on every status of an unchanged folder, where
 * the JVM runs only its quick compiler, which has no MD5 intrinsic (100,000 files: 40 ms in MD5, a
 * few here). It guards against accidents (a file changed, added, removed or renamed), not against
 * someone crafting a colliding folder, which would need control of inode numbers and mtimes too.
 */
final class WalkHash {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private long h1;
    private long h2;
    private long pending;
    private boolean hasPending;
    private long count;

    void add(long v) {
        count++;
        if (!hasPending) {
            pending = v;
            hasPending = true;
            return;
        }
        hasPending = false;
        block(pending, v);
    }

    /** A string's chars, four to a long, then its length (so that consecutive strings cannot blur). */
    void add(String s) {
        int n = s.length();
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            add((long) s.charAt(i)
                    | (long) s.charAt(i + 1) << 16
                    | (long) s.charAt(i + 2) << 32
                    | (long) s.charAt(i + 3) << 48);
        }
        long last = 0;
        for (int shift = 0; i < n; i++, shift += 16) {
            last |= (long) s.charAt(i) << shift;
        }
        add(last);
        add(n);
    }

    private void block(long k1, long k2) {
        h1 ^= Long.rotateLeft(k1 * C1, 31) * C2;
        h1 = Long.rotateLeft(h1, 27) + h2;
        h1 = h1 * 5 + 0x52dce729;
        h2 ^= Long.rotateLeft(k2 * C2, 33) * C1;
        h2 = Long.rotateLeft(h2, 31) + h1;
        h2 = h2 * 5 + 0x38495ab5;
    }

    /** The hash as 32 hex digits. */
    String hex() {
        long a = h1;
        long b = h2;
        if (hasPending) {
            a ^= Long.rotateLeft(pending * C1, 31) * C2;
        }
        a ^= count * 8;
        b ^= count * 8;
        a += b;
        b += a;
        a = mix(a);
        b = mix(b);
        a += b;
        b += a;
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(a) + hex.toHexDigits(b);
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
