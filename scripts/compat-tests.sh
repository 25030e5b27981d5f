#!/usr/bin/env bash
# Runs the Python compatibility suite (compat/) with the real MLflow client, once per client version:
#   mlflow 3.x (full package: also runs the differential test against a real `mlflow server`)
#   mlflow-skinny 2.x (client only; the differential test skips itself there)
# Builds the jar when needed and creates the venvs on first use. Exits non-zero if any run fails.
#   scripts/compat-tests.sh [extra pytest args, e.g. -k search -x]
set -uo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$here"

# COMPAT_MARKERS selects tests by marker (e.g. COMPAT_MARKERS="needs_search"); default: all.
markers=${COMPAT_MARKERS-}

echo "== compat: building Reprise (if sources changed)"
./reprise --version >/dev/null || { echo "compat-tests: could not build or start Reprise" >&2; exit 1; }

status=0
for env in mlflow3 mlflow2; do
  venv=$(scripts/python-env.sh "$env") || { echo "compat-tests: could not create the $env venv" >&2; exit 1; }
  version=$("$venv/bin/python" -c 'import mlflow; print(mlflow.__version__)')
  echo "== compat: pytest with the $env venv (mlflow $version)"
  log=$(mktemp)
  (cd compat && "$venv/bin/python" -m pytest -q -p no:cacheprovider ${markers:+-m "$markers"} "$@") 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  # pytest's own closing line, labelled, so a summary of both runs is easy to find
  echo "compat ($env, mlflow $version): $(grep -E '^=* ?[0-9]+ (passed|failed|error)|no tests ran' "$log" | tail -1 | tr -d '=' | sed 's/^ *//')"
  rm -f "$log"
  # exit 5 means no test ran, which is a failure of this script too
  if [ "$rc" -ne 0 ]; then
    echo "compat-tests: pytest with $env exited $rc" >&2
    status=1
  fi
done
exit $status
