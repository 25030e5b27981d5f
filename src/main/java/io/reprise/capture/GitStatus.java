package io.reprise.capture;

import java.util.ArrayList;
import java.util.List;

/** What {@code git status --porcelain=v2 --branch -z} says: HEAD, branch, changed and untracked paths. */
record GitStatus(String commit, String branch, List<String> changed, List<String> untracked) {

    static GitStatus parse(String out) {
        String commit = null;
        String branch = null;
        List<String> changed = new ArrayList<>();
        List<String> untracked = new ArrayList<>();
        String[] entries = out.split("\0");
        for (int i = 0; i < entries.length; i++) {
            String e = entries[i];
            if (e.startsWith("# branch.oid ")) {
                String oid = e.substring("# branch.oid ".length());
                commit = oid.equals("(initial)") ? null : oid;
            } else if (e.startsWith("# branch.head ")) {
                String head = e.substring("# branch.head ".length());
                branch = head.equals("(detached)") ? null : head;
            } else if (e.startsWith("1 ")) {
                changed.add(field(e, 8));
            } else if (e.startsWith("2 ")) {
                changed.add(field(e, 9));
                i++; // a rename is followed by its original path
            } else if (e.startsWith("u ")) {
                changed.add(field(e, 10));
            } else if (e.startsWith("? ")) {
                untracked.add(e.substring(2));
            }
        }
        return new GitStatus(commit, branch, List.copyOf(changed), List.copyOf(untracked));
    }

    // The path is the last field and may itself contain spaces.
    private static String field(String entry, int index) {
        return entry.split(" ", index + 1)[index];
    }
}
