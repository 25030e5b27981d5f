#!/usr/bin/env bash
# Proves target/reprise-image.tar works without a container runtime: unpacks its layers into a
# root folder and runs the image's own entrypoint and arguments in it with chroot, as the image's
# user, then asks the server for /health and creates an experiment. Needs root (for chroot).
#   scripts/check-image.sh [IMAGE_TAR]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
tar_file=${1:-$here/target/reprise-image.tar}
[ -f "$tar_file" ] || { echo "check-image: no $tar_file; run scripts/build-image.sh first" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "check-image: needs root for chroot" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=""
mkdir -p "$work/image" "$work/root"
tar -xf "$tar_file" -C "$work/image" 2>/dev/null
python3 - "$work" <<'PY'
import json, sys, tarfile, os
work = sys.argv[1]
manifest = json.load(open(f"{work}/image/manifest.json"))[0]
for layer in manifest["Layers"]:
    with tarfile.open(f"{work}/image/{layer}") as t:
        t.extractall(f"{work}/root", filter="fully_trusted")  # our own image; keeps /tmp and /data writable
config = json.load(open(f"{work}/image/{manifest['Config']}"))["config"]
port = "5123"
args = [a if a != "0.0.0.0" else "127.0.0.1" for a in config["Cmd"]] + ["--port", port]
open(f"{work}/cmd", "w").write("\n".join(config["Entrypoint"] + args))
open(f"{work}/user", "w").write(config.get("User", "0:0"))
open(f"{work}/cwd", "w").write(config.get("WorkingDir", "/"))
PY
mapfile -t cmd < "$work/cmd"
echo "check-image: running ${cmd[*]} as $(cat "$work/user")" >&2
# A container runtime mounts /proc; the dynamic loader needs it to find the JVM's libraries.
mkdir -p "$work/root/proc"
mount -t proc proc "$work/root/proc"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; umount "$work/root/proc" 2>/dev/null; rm -rf "$work"' EXIT
chroot --userspec="$(cat "$work/user")" "$work/root" "${cmd[@]}" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:5123/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { head -c 3000 "$work/server.log" >&2; echo "check-image: server exited" >&2; exit 1; }
  sleep 0.1
done
curl -sf "http://127.0.0.1:5123/health" >/dev/null || { cat "$work/server.log" >&2; exit 1; }
answer=$(curl -sf -H 'Content-Type: application/json' -d '{"name":"image-check"}' \
  "http://127.0.0.1:5123/api/2.0/mlflow/experiments/create")
echo "check-image: OK: /health answered, experiments/create -> $answer" >&2
test -f "$work/root/data/reprise.db" && echo "check-image: OK: database written to /data as the image's user" >&2
