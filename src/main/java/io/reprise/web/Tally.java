package io.reprise.web;

import io.reprise.store.RunCount;
import java.util.Locale;

/**
 * Run counts by verdict, summed from the store's grouped counts. "Judged" runs have a final
 * compliance verdict (compliant or non-compliant; pending runs are still running); "audited" runs
 * carry a reproduction verdict (the reproduction contract), "reproduced" ones say REPRODUCED.
 */
final class Tally {
    long runs;
    long compliant;
    long nonCompliant;
    long audited;
    long reproduced;
    long diverged;

    Tally add(RunCount c) {
        runs += c.runs();
        String compliance = c.compliance() == null ? "" : c.compliance();
        String verdict = c.reproduction() == null ? "" : c.reproduction();
        if (compliance.equals("compliant")) {
            compliant += c.runs();
        } else if (compliance.equals("non-compliant")) {
            nonCompliant += c.runs();
        }
        if (!verdict.isEmpty()) {
            audited += c.runs();
            if (verdict.equals("REPRODUCED")) {
                reproduced += c.runs();
            } else {
                diverged += c.runs(); // DIVERGED or FAILED: not reproduced
            }
        }
        return this;
    }

    long judged() {
        return compliant + nonCompliant;
    }

    /** Non-compliant plus not reproduced: what a reviewer has to look at. */
    long offences() {
        return nonCompliant + diverged;
    }

    /** Share of judged runs that comply, 0-1; NaN when none was judged. */
    double compliantShare() {
        return share(compliant, judged());
    }

    /** Share of audited runs that reproduced, 0-1; NaN when none was audited. */
    double reproducedShare() {
        return share(reproduced, audited);
    }

    static double share(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }

    /** "67%", or "" for NaN. Rounded down, as {@code reprise audit} does, so 89.9% never reads as 90%. */
    static String percent(double share) {
        return Double.isNaN(share) ? "" : String.format(Locale.ROOT, "%.0f%%", Math.floor(share * 100 + 1e-9));
    }
}
