package io.reprise.capture;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Environment variables that change what a run computes. Only these exact names are ever recorded:
 * an allowlist, so credentials (AWS_SECRET_ACCESS_KEY, MLFLOW_TRACKING_PASSWORD, ...) never leave the
 * machine, whatever they are called.
 */
public final class EnvAllowlist {
    /** The recorded names; a reproduction sets these as recorded and unsets the others. */
    public static final Set<String> NAMES = Set.of(
            // hashing and seeds
            "PYTHONHASHSEED",
            "REPRISE_SEED",
            // GPU selection and determinism
            "CUDA_VISIBLE_DEVICES",
            "CUDA_DEVICE_ORDER",
            "CUDA_LAUNCH_BLOCKING",
            "CUBLAS_WORKSPACE_CONFIG",
            "NVIDIA_TF32_OVERRIDE",
            "TF_DETERMINISTIC_OPS",
            "TF_CUDNN_DETERMINISTIC",
            "TF_ENABLE_ONEDNN_OPTS",
            "PYTORCH_CUDA_ALLOC_CONF",
            "XLA_FLAGS",
            // thread counts change floating-point reduction order
            "OMP_NUM_THREADS",
            "MKL_NUM_THREADS",
            "OPENBLAS_NUM_THREADS",
            "NUMEXPR_NUM_THREADS",
            "VECLIB_MAXIMUM_THREADS",
            "MKL_CBWR",
            "TOKENIZERS_PARALLELISM",
            // which code and packages get imported
            "PYTHONPATH",
            "VIRTUAL_ENV",
            "CONDA_DEFAULT_ENV",
            // locale and time zone change sorting, parsing and dates
            "LANG",
            "LC_ALL",
            "TZ");

    private EnvAllowlist() {}

    /** The allowlisted subset of {@code env}, sorted by name. */
    static Map<String, String> select(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> {
            if (NAMES.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
