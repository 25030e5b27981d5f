package io.reprise.data;

/**
 * One output of a {@code .dvc} file. {@code md5} is null when nothing was recorded; {@code legacy} marks
 * a DVC 2.x entry (no {@code hash: md5}; its md5 of text files was computed after CRLF normalisation).
 */
record Output(String path, String md5, Long size, Long nfiles, boolean isexec, boolean legacy, boolean cached) {

    static Output from(YNode.Map m) {
        String md5 = m.string("md5");
        return new Output(
                m.string("path"),
                md5,
                number(m, "size"),
                number(m, "nfiles"),
                "true".equals(m.string("isexec")),
                md5 != null && !"md5".equals(m.string("hash")),
                !"false".equals(m.string("cache")));
    }

    private static Long number(YNode.Map m, String key) {
        String v = m.string(key);
        try {
            return v == null ? null : Long.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    boolean isDir() {
        return md5 != null && Oids.isDir(md5);
    }

    Output withCached(boolean newCached) {
        return new Output(path, md5, size, nfiles, isexec, legacy, newCached);
    }

    Output withHash(String newMd5, long newSize, Long newNfiles, boolean newIsexec) {
        return new Output(path, newMd5, newSize, newNfiles, newIsexec, false, cached);
    }

    /** Writes this output's keys into {@code dest} as DVC's apply_diff would. */
    YNode.Map toYaml(YNode.Map dest) {
        YNode.Map src = new YNode.Map();
        if (md5 != null) {
            src.put("md5", YNode.Scalar.str(md5));
            src.put("size", YNode.Scalar.integer(size));
            if (nfiles != null) {
                src.put("nfiles", YNode.Scalar.integer(nfiles));
            }
            if (isexec) {
                src.put("isexec", YNode.Scalar.bool(true));
            }
        }
        if (!legacy) { // a 2.x entry has no hash key
            src.put("hash", YNode.Scalar.str("md5"));
        }
        src.put("path", YNode.Scalar.str(path));
        for (String key : DvcFile.hashKeys()) {
            if (src.get(key) == null) {
                dest.entries().remove(key);
            }
        }
        src.entries().forEach((k, v) -> {
            if (!v.equals(dest.get(k))) {
                dest.put(k, v);
            }
        });
        return dest;
    }
}
