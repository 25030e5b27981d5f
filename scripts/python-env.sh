#!/usr/bin/env bash
# Creates (once) and prints the path of the Python venvs the compatibility tests use.
#   scripts/python-env.sh mlflow3   -> venv with the latest mlflow 3.x (full server, for differential tests)
#   scripts/python-env.sh mlflow2   -> venv with the latest mlflow-skinny 2.x client
#   scripts/python-env.sh dvc       -> venv with the latest dvc 3.x and dvc-s3 (data interop tests, benchmarks)
# Idempotent: a venv whose marker file matches the wanted spec is reused.
set -euo pipefail
which_env=${1:-mlflow3}
cache=${REPRISE_CACHE:-$HOME/.cache/reprise}
# extras are installed into the venv on top of spec, with a marker of their own: adding one never
# changes the spec marker, so older copies of this script (other branches) keep reusing the venv
# instead of rebuilding it under each other's running tests.
extras=()
case "$which_env" in
  mlflow3) spec=("mlflow>=3,<4" "pytest>=8" "requests") ;;
  mlflow2) spec=("mlflow-skinny>=2.22,<3" "pytest>=8" "requests") ;;
  dvc) spec=("dvc>=3,<4" "pytest>=8"); extras=("dvc-s3==3.3.0") ;;
  *) echo "python-env.sh: unknown env '$which_env' (use mlflow3, mlflow2 or dvc)" >&2; exit 2 ;;
esac
venv="$cache/venv-$which_env"
mkdir -p "$cache"
# One installer at a time per venv: concurrent callers wait, then reuse the finished venv.
exec 9>"$cache/.venv-$which_env.lock"
flock 9
marker="$venv/.reprise-spec"
want="${spec[*]}"
ensure_extras() {
  local extras_marker="$venv/.reprise-extras" extras_want="${extras[*]:-}"
  [ -n "$extras_want" ] || return 0
  if [ ! -f "$extras_marker" ] || [ "$(cat "$extras_marker")" != "$extras_want" ]; then
    echo "python-env.sh: adding ${extras_want} to $venv" >&2
    "$venv/bin/pip" install --disable-pip-version-check -q "${extras[@]}" >&2
    echo "$extras_want" > "$extras_marker"
  fi
}
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ] && [ -x "$venv/bin/python" ]; then
  ensure_extras
  echo "$venv"; exit 0
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
ensure_extras
echo "$venv"
