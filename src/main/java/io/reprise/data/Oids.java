package io.reprise.data;

import java.util.regex.Pattern;

/** Object ids: an md5 in lowercase hex, plus ".dir" for directory manifests. */
final class Oids {
    static final String DIR_SUFFIX = ".dir";
    private static final Pattern VALID = Pattern.compile("[0-9a-f]{32}(\\.dir)?");

    private Oids() {}

    static boolean isDir(String oid) {
        return oid.endsWith(DIR_SUFFIX);
    }

    static boolean isValid(String oid) {
        return oid != null && VALID.matcher(oid).matches();
    }

    /** "ab/cdef...": where the object lives below {@code files/md5/}. */
    static String relativePath(String oid) {
        return oid.substring(0, 2) + "/" + oid.substring(2);
    }
}
