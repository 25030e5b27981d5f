package io.reprise.capture;

import java.nio.file.Path;

/**
 * A virtual environment built for a project's python_env.yaml.
 *
 * @param dir the environment (what VIRTUAL_ENV points at)
 * @param python the Python version it runs
 * @param requested the version python_env.yaml asked for
 * @param cacheKey the content hash it is cached under
 * @param cached whether it was already built by an earlier run
 */
record Venv(Path dir, String python, String requested, String cacheKey, boolean cached) {}
