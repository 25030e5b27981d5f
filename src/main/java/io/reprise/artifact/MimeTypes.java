package io.reprise.artifact;

import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Download headers as MLflow's server sends them (mlflow/utils/mime_type_utils.py, handlers.py). */
final class MimeTypes {
    // MLflow serves these as text/plain so the UI can preview them; MLmodel/MLproject have no extension.
    private static final Set<String> TEXT = Set.of(
            "txt",
            "log",
            "err",
            "cfg",
            "conf",
            "cnf",
            "cf",
            "ini",
            "properties",
            "prop",
            "hocon",
            "toml",
            "yaml",
            "yml",
            "xml",
            "json",
            "js",
            "py",
            "py3",
            "csv",
            "tsv",
            "md",
            "rst",
            "ipynb",
            "MLmodel",
            "MLproject");

    // Common artifact types the JDK's own table lacks or names differently from Python's mimetypes.
    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"));

    private static final String OCTETS = "application/octet-stream";

    private MimeTypes() {}

    /** The MIME type a file of this name is sent with; application/octet-stream when unknown. */
    static String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot <= 0 ? fileName : fileName.substring(dot + 1);
        if (TEXT.contains(ext)) {
            return "text/plain";
        }
        String known = KNOWN.get(ext.toLowerCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        String guessed = URLConnection.guessContentTypeFromName(fileName);
        return guessed == null ? OCTETS : guessed;
    }

    /**
     * An RFC 6266 attachment header. Headers are Latin-1 on the wire, so a non-ASCII name goes in
     * {@code filename*} (RFC 5987) with an ASCII fallback, as MLflow does.
     */
    static String attachment(String fileName) {
        if (StandardCharsets.US_ASCII.newEncoder().canEncode(fileName)) {
            return "attachment; filename=" + quoted(fileName);
        }
        String ascii = Normalizer.normalize(fileName, Normalizer.Form.NFKD).replaceAll("[^\\x20-\\x7e]", "");
        return "attachment; filename=" + quoted(ascii.isEmpty() ? "download" : ascii) + "; filename*=UTF-8''"
                + percentEncoded(fileName);
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // RFC 5987 attr-char is ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else is %-encoded UTF-8.
    private static String percentEncoded(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }
}
