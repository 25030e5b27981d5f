package io.reprise.search;

import io.reprise.model.MlflowException;
import java.math.BigInteger;

/** Experiment ids as MLflow's SQL store reads them: Python's {@code int(str)}. */
public final class ExperimentIds {
    private ExperimentIds() {}

    /**
     * The id as a number; blanks around, a sign and underscores between digits are accepted, as
     * Python accepts them. Anything else is INVALID_PARAMETER_VALUE with MLflow's message.
     */
    public static long parse(String experimentId) {
        String s = experimentId.strip();
        if (s.matches("[+-]?\\d+(_\\d+)*")) {
            BigInteger id = new BigInteger(s.replace("_", ""));
            if (id.bitLength() < 64) {
                return id.longValue();
            }
        }
        throw MlflowException.invalid(
                "Invalid experiment ID '%s'. Experiment ID must be a valid integer.", experimentId);
    }
}
