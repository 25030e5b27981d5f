#!/usr/bin/env bash
# Creates (once) and prints the path of the Python venvs the compatibility tests use.
#   scripts/python-env.sh mlflow3   -> venv with the latest mlflow 3.x (full server, for differential tests)
#   scripts/python-env.sh mlflow2   -> venv with the latest mlflow-skinny 2.x client
#   scripts/python-env.sh dvc       -> venv with the latest dvc 3.x and its S3 plugin (data interop tests, benchmarks)
# Idempotent: a venv whose marker file matches the wanted spec is reused.
set -euo pipefail
which_env=${1:-mlflow3}
cache=${REPRISE_CACHE:-$HOME/.cache/reprise}
case "$which_env" in
  mlflow3) spec=("mlflow>=3,<4" "pytest>=8" "requests") ;;
  mlflow2) spec=("mlflow-skinny>=2.22,<3" "pytest>=8" "requests") ;;
  dvc) spec=("dvc>=3,<4" "dvc-s3==3.3.0" "pytest>=8") ;;
  *) echo "python-env.sh: unknown env '$which_env' (use mlflow3, mlflow2 or dvc)" >&2; exit 2 ;;
esac
venv="$cache/venv-$which_env"
mkdir -p "$cache"
# One installer at a time per venv: concurrent callers wait, then reuse the finished venv.
exec 9>"$cache/.venv-$which_env.lock"
flock 9
marker="$venv/.reprise-spec"
want="${spec[*]}"
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ] && [ -x "$venv/bin/python" ]; then
  echo "$venv"; exit 0
fi
# A venv made for another spec gets the new one installed in place: tests that are using it
# meanwhile (other worktrees share the cache) keep working, which a rebuild would break.
if [ -f "$marker" ] && [ -x "$venv/bin/python" ]; then
  echo "python-env.sh: updating $venv to ${want}" >&2
  if "$venv/bin/pip" install --disable-pip-version-check -q "${spec[@]}" >&2; then
    echo "$want" > "$marker"
    echo "$venv"; exit 0
  fi
  echo "python-env.sh: in-place update failed; rebuilding $venv" >&2
fi
py=$(command -v python3 || true)
[ -n "$py" ] || { echo "python-env.sh: python3 not found; install Python 3.10+" >&2; exit 1; }
mkdir -p "$cache"
# venvs hold absolute paths, so build in place; the marker is written last, so an
# interrupted install is redone on the next call.
rm -rf "$venv"
echo "python-env.sh: creating $venv (${want}); this takes a few minutes once" >&2
"$py" -m venv "$venv" >&2
"$venv/bin/pip" install --disable-pip-version-check -q --upgrade pip >&2
"$venv/bin/pip" install --disable-pip-version-check -q "${spec[@]}" >&2
echo "$want" > "$marker"
echo "$venv"
