package io.reprise.data;

/** Object ids: an md5 in lowercase hex, plus ".dir" for directory manifests. */
final class Oids {
    static final String DIR_SUFFIX = ".dir";

    private Oids() {}

    static boolean isDir(String oid) {
        return oid.endsWith(DIR_SUFFIX);
    }

    /** 32 lowercase hex digits, optionally ".dir". Without the regex: a manifest checks 20,000 of them. */
    static boolean isValid(String oid) {
        if (oid == null || (oid.length() != 32 && !(oid.length() == 36 && oid.endsWith(DIR_SUFFIX)))) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            char c = oid.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** "ab/cdef...": where the object lives below {@code files/md5/}. */
    static String relativePath(String oid) {
        return oid.substring(0, 2) + "/" + oid.substring(2);
    }
}
