package io.reprise.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A directory's {@code .dir} object: its files' md5s by relative path. The bytes are what Python's
 * {@code json.dumps(entries, sort_keys=True)} writes (ASCII-only, {@code ", "} and {@code ": "}
 * separators), entries sorted by relpath in code-point order, so the hash matches DVC's.
 */
record DirManifest(List<Entry> entries) {
    private static final JsonFactory JSON = new JsonFactory();

    /** Python sorts str by code point; String.compareTo sorts UTF-16 units (differs above U+FFFF). */
    static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                // UTF-16 order is code point order except that surrogates (U+D800-DFFF, the halves of
                // characters above U+FFFF) sort below U+E000-FFFF; lift them above it.
                return Integer.compare(codePointRank(ca), codePointRank(cb));
            }
        }
        return Integer.compare(a.length(), b.length());
    };

    private static int codePointRank(char c) {
        return c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE ? c + 0x10000 : c;
    }

    /** One file: its path below the directory ({@code /}-separated) and md5. */
    record Entry(String relpath, String md5) {}

    DirManifest {
        // Manifests read back (and walks, which list in manifest order) come sorted: checked in one pass.
        if (sorted(entries)) {
            entries = List.copyOf(entries);
        } else {
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort(Comparator.comparing(Entry::relpath, CODE_POINT_ORDER));
            entries = List.copyOf(sorted);
        }
    }

    private static boolean sorted(List<Entry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            if (CODE_POINT_ORDER.compare(
                            entries.get(i - 1).relpath(), entries.get(i).relpath())
                    > 0) {
                return false;
            }
        }
        return true;
    }

    // The manifests parsed last, by their bytes: one command reads the same manifest several times
    // (pull: fetch, the completeness checks, checkout), and parsing 20,000 entries costs ~0.1 s of CPU.
    // At most 4, and only manifests of up to 16 MiB (~150,000 files): a bigger one is parsed again
    // rather than kept, so memory stays bounded on datasets of millions of files.
    private static final int PARSED_KEPT = 4;
    private static final int PARSED_MAX_BYTES = 16 << 20;
    private static final java.util.ArrayDeque<Map.Entry<byte[], DirManifest>> PARSED = new java.util.ArrayDeque<>();

    byte[] toJson() {
        StringBuilder sb = new StringBuilder(entries.size() * 80 + 2).append('[');
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            sb.append(i == 0 ? "" : ", ").append("{\"md5\": ");
            PythonJsonText.append(sb, e.md5());
            sb.append(", \"relpath\": ");
            PythonJsonText.append(sb, e.relpath());
            sb.append('}');
        }
        return sb.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The directory's oid: md5 of the manifest bytes plus ".dir". */
    String oid() {
        return Md5.of(toJson()) + Oids.DIR_SUFFIX;
    }

    /** The files' oids, in manifest order (a view, not a copy). */
    List<String> oids() {
        return new java.util.AbstractList<>() {
            @Override
            public String get(int i) {
                return entries.get(i).md5();
            }

            @Override
            public int size() {
                return entries.size();
            }
        };
    }

    long fileCount() {
        return entries.size();
    }

    /**
     * The manifest in {@code json}; {@code source} names it in messages. {@code json} may be kept
     * (for the next parse of the same bytes): callers pass bytes they do not change afterwards.
     */
    static DirManifest parse(byte[] json, String source) {
        synchronized (PARSED) {
            for (Map.Entry<byte[], DirManifest> e : PARSED) {
                if (java.util.Arrays.equals(e.getKey(), json)) {
                    return e.getValue();
                }
            }
        }
        DirManifest m = parseNew(json, source);
        if (json.length <= PARSED_MAX_BYTES) {
            synchronized (PARSED) {
                PARSED.addFirst(Map.entry(json, m));
                if (PARSED.size() > PARSED_KEPT) {
                    PARSED.removeLast();
                }
            }
        }
        return m;
    }

    private static DirManifest parseNew(byte[] json, String source) {
        List<Entry> canonical = canonicalEntries(json, source);
        return canonical != null ? new DirManifest(canonical) : parseJson(json, source);
    }

    private static final byte[] MD5_KEY = "{\"md5\": \"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RELPATH_KEY = ", \"relpath\": \"".getBytes(StandardCharsets.US_ASCII);
    private static final int MD5_CHARS = 32;

    /**
     * The entries of a manifest in the exact form DVC and {@link #toJson} write it ({@code [{"md5":
     * "...", "relpath": "..."}, ...]}, ASCII paths without escapes), read without a JSON parser: a
     * third of a first status on 100,000 files went to parsing its manifest. Null for anything else
     * (escapes, other keys or spacing), which the JSON parser reads.
     */
    private static List<Entry> canonicalEntries(byte[] json, String source) {
        int n = json.length;
        if (n < 2 || json[0] != '[') {
            return null;
        }
        List<Entry> out = new ArrayList<>();
        int i = 1;
        if (json[i] == ']') {
            return i + 1 == n ? out : null;
        }
        while (true) {
            if (!at(json, i, MD5_KEY) || i + MD5_KEY.length + MD5_CHARS >= n) {
                return null;
            }
            i += MD5_KEY.length;
            String md5 = new String(json, i, MD5_CHARS, StandardCharsets.ISO_8859_1);
            i += MD5_CHARS;
            if (json[i] != '"' || !at(json, i + 1, RELPATH_KEY)) {
                return null;
            }
            i += 1 + RELPATH_KEY.length;
            int start = i;
            while (i < n && json[i] != '"') {
                if (json[i] == '\\' || json[i] < 0x20 || json[i] >= 0x7f) {
                    return null;
                }
                i++;
            }
            if (i + 2 >= n || json[i + 1] != '}') {
                return null;
            }
            out.add(checked(new String(json, start, i - start, StandardCharsets.ISO_8859_1), md5, source));
            i += 2;
            if (json[i] == ']') {
                return i + 1 == n ? out : null;
            }
            if (json[i] != ',' || i + 1 >= n || json[i + 1] != ' ') {
                return null;
            }
            i += 2; // past ", " to the next entry's "{"
        }
    }

    private static boolean at(byte[] json, int i, byte[] expected) {
        if (i + expected.length > json.length) {
            return false;
        }
        for (int k = 0; k < expected.length; k++) {
            if (json[i + k] != expected[k]) {
                return false;
            }
        }
        return true;
    }

    private static DirManifest parseJson(byte[] json, String source) {
        List<Entry> entries = new ArrayList<>();
        // Streaming parser: the manifest may list millions of files, and ObjectMapper is slow to start.
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw corrupted(source, "not a list");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String md5 = null;
                String relpath = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.VALUE_STRING && field.equals("md5")) {
                        md5 = p.getText();
                    } else if (value == JsonToken.VALUE_STRING && field.equals("relpath")) {
                        relpath = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                entries.add(checked(relpath, md5, source));
            }
        } catch (java.io.IOException e) {
            throw corrupted(source, "not JSON");
        }
        return new DirManifest(entries);
    }

    private static Entry checked(String relpath, String md5, String source) {
        if (relpath == null || md5 == null) {
            throw new DataException("Directory object " + source + " has an entry without md5 or relpath.");
        }
        if (!safeRelpath(relpath) || !Oids.isValid(md5) || Oids.isDir(md5)) {
            throw new DataException("Directory object " + source + " has an invalid entry '" + relpath
                    + "'; it may have been tampered with. Remove it and fetch or add again.");
        }
        return new Entry(relpath, md5);
    }

    private static DataException corrupted(String source, String why) {
        return new DataException("Directory object " + source + " is corrupted (" + why + "); fetch it again.");
    }

    // A manifest may come from a remote: its paths must stay inside the folder they are written to.
    // No part empty, "." or ".." (a leading "/" is an empty first part), and no NUL. One pass, no split:
    // a manifest of 20,000 entries is checked every time it is read.
    private static boolean safeRelpath(String relpath) {
        int start = 0;
        int n = relpath.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? relpath.charAt(i) : '/';
            if (c == '\0') {
                return false;
            }
            if (c == '/') {
                int len = i - start;
                if (len == 0
                        || (len == 1 && relpath.charAt(start) == '.')
                        || (len == 2 && relpath.charAt(start) == '.' && relpath.charAt(start + 1) == '.')) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }
}
