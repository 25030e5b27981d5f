package io.reprise.capture;

import java.util.List;

/**
 * The state of the git work tree a run started from.
 *
 * @param root absolute path of the work tree
 * @param commit HEAD's commit, null on a branch with no commit yet
 * @param branch the checked-out branch, null when HEAD is detached
 * @param remoteUrl origin's URL (or the first remote's) with any credentials removed; null if none
 * @param dirty whether tracked files differ from HEAD (staged or not)
 * @param changed tracked paths that differ from HEAD, relative to the root
 * @param untracked untracked, non-ignored files
 * @param diff {@code git diff HEAD --binary} of the tracked files; empty when clean
 * @param dvcFiles tracked and untracked {@code .dvc} and {@code dvc.lock} files, relative to the root
 */
record GitState(
        String root,
        String commit,
        String branch,
        String remoteUrl,
        boolean dirty,
        List<String> changed,
        List<Untracked> untracked,
        String diff,
        List<String> dvcFiles) {

    /** An untracked file and its size in bytes. */
    record Untracked(String path, long size) {}

    boolean detached() {
        return branch == null;
    }
}
