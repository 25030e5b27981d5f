#!/usr/bin/env bash
# Builds the Reprise container image as target/reprise-image.tar (docker/podman `load` it), with no
# Docker daemon and no registry: a jlinked Java runtime plus the C libraries it links against
# (taken from this machine) form the base, and Jib layers the application over it.
#   scripts/build-image.sh            -> target/reprise-image.tar, image name reprise:<version>
# The runtime is glibc-based: the image runs on any x86_64 Linux container host.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
JAVA_HOME=$("$here/scripts/find-jdk.sh") || exit 1
export JAVA_HOME
root="$here/target/image-root"

# jdeps over the application lists these (java.desktop comes in through java.beans, which JDBI
# and Jackson use); jdk.unsupported and jdk.management serve Jetty and the JVM metrics.
modules=java.base,java.desktop,java.instrument,java.management,java.naming,java.net.http
modules+=,java.security.jgss,java.sql,jdk.jfr,jdk.unsupported,jdk.management,jdk.crypto.ec,jdk.zipfs

echo "build-image: compiling..." >&2
(cd "$here" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true compile)

echo "build-image: linking a Java runtime ($modules)..." >&2
rm -rf "$root"
mkdir -p "$root/opt" "$root/data" "$root/tmp" "$root/etc"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress zip-6 --output "$root/opt/java"

# The C libraries the runtime's binaries load, at the paths they are loaded from.
copy_lib() {
  local lib=$1
  case "$lib" in "$root"/*) return 0 ;; esac  # the runtime's own libraries are in place already
  [ -e "$root$lib" ] && return 0
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
}
# libawt and friends link X11 and sound libraries the server never loads: not shipped.
find "$root/opt/java/lib" -name 'libawt_xawt.so' -o -name 'libjsound.so' -o -name 'libsplashscreen.so' \
  | xargs -r rm -f
# glibc's own parts are listed too: native code extracted at run time (SQLite's driver) needs them.
for lib in /lib/x86_64-linux-gnu/{libc.so.6,libm.so.6,libdl.so.2,libpthread.so.0,librt.so.1} /lib64/ld-linux-x86-64.so.2; do
  copy_lib "$lib"
done
while read -r lib; do copy_lib "$lib"; done < <(
  find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} + 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | sort -u)
# Java looks up the user running it; an unknown uid works, a named one reads better in logs.
printf 'root:x:0:0::/root:/sbin/nologin\nreprise:x:65532:65532::/data:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nreprise:x:65532:\n' > "$root/etc/group"

echo "build-image: layering with Jib..." >&2
(cd "$here" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true compile jib:buildTar)
echo "build-image: wrote $here/target/reprise-image.tar ($(du -h "$here/target/reprise-image.tar" | cut -f1))" >&2
echo "  docker load -i target/reprise-image.tar && docker run -p 5000:5000 -v reprise-data:/data reprise:<version>" >&2
