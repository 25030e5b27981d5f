package io.reprise.capture;

import java.util.List;

/**
 * The Python interpreter a command runs under and what is installed in it.
 *
 * @param executable the interpreter's {@code sys.executable}
 * @param version e.g. {@code 3.11.7}
 * @param implementation e.g. {@code cpython}
 * @param prefix {@code sys.prefix}: the virtual environment, if any
 * @param packages {@code pip freeze --all} lines: {@code name==version}, {@code name @ url} or {@code -e url}
 */
record PythonEnv(String executable, String version, String implementation, String prefix, List<String> packages) {}
