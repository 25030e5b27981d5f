package io.reprise.capture;

/**
 * The environment an MLproject declares: at most one of {@code python_env}, {@code conda_env} and
 * {@code docker_env}, else a {@code python_env.yaml} or {@code conda.yaml} beside it, as MLflow finds it.
 */
sealed interface ProjectEnv {
    /** The MLproject key, as recorded in the manifest. */
    String type();

    /** {@code python_env}: a python_env.yaml, relative to the project directory. */
    record Python(String file) implements ProjectEnv {
        @Override
        public String type() {
            return "python_env";
        }
    }

    /** {@code conda_env}: a conda environment file, relative to the project directory. */
    record Conda(String file) implements ProjectEnv {
        @Override
        public String type() {
            return "conda_env";
        }
    }

    /** {@code docker_env}: an image to run in. */
    record Docker(String image) implements ProjectEnv {
        @Override
        public String type() {
            return "docker_env";
        }
    }

    /** Nothing declared: the command runs in the current environment. */
    record None() implements ProjectEnv {
        @Override
        public String type() {
            return "none";
        }
    }
}
