#!/usr/bin/env bash
# Tests the ./reprise launcher as a user meets it: the JDK lookup (bash builtins, no JVM started to
# read a version), a start through a symlink from another folder, and the short commands' AOT caches.
# Needs the jar built (./mvnw package or verify). Prints one line per check; exits 1 on a failure.
set -uo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reprise-launcher-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0
check() { # $1: what; rest: command that must succeed
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failed=1; fi
}

# shellcheck source=find-jdk.sh
. "$here/scripts/find-jdk.sh"
fake_jdk() { # $1: folder, $2: JAVA_VERSION line of its release file
  mkdir -p "$1/bin" && printf '#!/bin/sh\nexit 0\n' >"$1/bin/java" && cp "$1/bin/java" "$1/bin/javac"
  chmod +x "$1/bin/java" "$1/bin/javac"
  printf 'IMPLEMENTOR="test"\n%s\nOS_NAME="Linux"\n' "$2" >"$1/release"
}
fake_jdk "$tmp/jdk17" 'JAVA_VERSION="17.0.12"'
fake_jdk "$tmp/jdk21" 'JAVA_VERSION="21.0.4"'
fake_jdk "$tmp/jdk25" 'JAVA_VERSION="25"'
check "a JDK 17 is not good enough" bash -c ". '$here/scripts/find-jdk.sh'; ! jdk_good '$tmp/jdk17'"
check "JDK 21.0.4 and 25 are" bash -c ". '$here/scripts/find-jdk.sh'; jdk_good '$tmp/jdk21' && jdk_good '$tmp/jdk25'"
check "the full version is read from the release file" \
  bash -c ". '$here/scripts/find-jdk.sh'; jdk_release_version '$tmp/jdk21' v; [ \"\$v\" = 21.0.4 ]"
check "JAVA_HOME wins when it is good" bash -c "[ \"\$(JAVA_HOME='$tmp/jdk21' '$here/scripts/find-jdk.sh')\" = '$tmp/jdk21' ]"
check "a JAVA_HOME that is too old is passed over" \
  bash -c "found=\$(JAVA_HOME='$tmp/jdk17' '$here/scripts/find-jdk.sh') && [ \"\$found\" != '$tmp/jdk17' ]"

check "reprise --version through the launcher, with JAVA_HOME on a JDK 17" \
  bash -c "JAVA_HOME='$tmp/jdk17' '$here/reprise' --version | grep -q 'MLflow'"
ln -s "$here/reprise" "$tmp/reprise-link"
check "started through a symlink from another folder" bash -c "cd '$tmp' && ./reprise-link run --help | grep -q 'Usage: reprise run'"
check "the AOT caches of the short commands and of reprise run were made (JDK 25+)" bash -c "
  v=\$('$here/scripts/find-jdk.sh') && . '$here/scripts/find-jdk.sh' && jdk_release_major \"\$v\" m
  [ \"\$m\" -lt 25 ] || ls '$here'/target/reprise-cli-jdk*.aot '$here'/target/reprise-run-jdk*.aot >/dev/null 2>&1"
exit $failed
