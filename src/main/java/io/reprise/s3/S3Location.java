package io.reprise.s3;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bucket and a key prefix, parsed from {@code s3://bucket/prefix}. The prefix has no leading or
 * trailing slash ("" for the whole bucket).
 */
public record S3Location(String bucket, String prefix) {
    private static final Pattern URL = Pattern.compile("s3://([^/?#]+)/?([^?#]*)");
    // S3's own bucket naming rules (lower-case letters, digits, dots and hyphens, 3 to 63 characters)
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /** True when {@code s} is an s3:// URL (which {@link #parse} may still refuse). */
    public static boolean isS3(String s) {
        return s != null && s.regionMatches(true, 0, "s3://", 0, 5);
    }

    /** Parses {@code s3://bucket[/prefix]}; IllegalArgumentException with a readable message otherwise. */
    public static S3Location parse(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + url + "' is not an S3 location; write it as s3://bucket or s3://bucket/prefix");
        }
        String bucket = m.group(1);
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("'" + bucket + "' in '" + url
                    + "' is not a valid S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens)");
        }
        String prefix = m.group(2);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.contains("//")) {
            throw new IllegalArgumentException("'" + url + "' has an empty path segment ('//')");
        }
        return new S3Location(bucket, prefix);
    }

    /** The key of {@code rel} (a clean relative path, "" for the prefix itself) below the prefix. */
    public String key(String rel) {
        if (prefix.isEmpty()) {
            return rel;
        }
        return rel.isEmpty() ? prefix : prefix + "/" + rel;
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
