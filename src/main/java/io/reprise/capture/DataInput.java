package io.reprise.capture;

/**
 * One DVC-tracked output the run can read, taken from a {@code .dvc} file or {@code dvc.lock}.
 *
 * @param path the data's path relative to the repository root (the MLflow dataset name)
 * @param md5 DVC's md5 ({@code <hex>.dir} for a directory): the dataset digest
 * @param size bytes, -1 when the file does not say
 * @param nfiles files in a directory output, -1 for a file
 * @param source the {@code .dvc} file, or {@code dvc.lock:<stage>}, it was read from
 */
record DataInput(String path, String md5, long size, long nfiles, String source) {

    /** MLflow's dataset profile: a small JSON document. */
    String profileJson() {
        StringBuilder sb = new StringBuilder("{");
        if (size >= 0) {
            sb.append("\"size\": ").append(size);
        }
        if (nfiles >= 0) {
            sb.append(sb.length() > 1 ? ", " : "").append("\"nfiles\": ").append(nfiles);
        }
        return sb.append('}').toString();
    }
}
