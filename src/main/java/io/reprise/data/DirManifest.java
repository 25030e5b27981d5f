package io.reprise.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::relpath, CODE_POINT_ORDER));
        entries = List.copyOf(sorted);
    }

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

    long fileCount() {
        return entries.size();
    }

    static DirManifest parse(byte[] json, String source) {
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
    private static boolean safeRelpath(String relpath) {
        if (relpath.isEmpty() || relpath.startsWith("/") || relpath.indexOf('\0') >= 0) {
            return false;
        }
        for (String part : relpath.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
