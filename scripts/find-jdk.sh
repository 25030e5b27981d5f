#!/usr/bin/env bash
# Prints the home of a JDK >= 21: JAVA_HOME, then java on PATH, then the usual JVM folders.
# Run it, or source it and call find_jdk (the launcher does: every command pays for this, so it
# uses bash builtins and starts no process on the common paths). Exits (returns) 1 with a clear
# message when none is found.

# The JDK's version (25.0.3) from its release file into the variable named $2; empty if none.
jdk_release_version() {
  # Names no caller would pass as $2: printf -v would set a local of the same name instead.
  local _jrv_line _jrv_v=""
  if [ -f "$1/release" ]; then
    while IFS= read -r _jrv_line || [ -n "$_jrv_line" ]; do
      case "$_jrv_line" in JAVA_VERSION=*)
        _jrv_v=${_jrv_line#JAVA_VERSION=}
        _jrv_v=${_jrv_v//\"/}
        break ;;
      esac
    done <"$1/release"
  fi
  printf -v "$2" '%s' "$_jrv_v"
}

# The major version, from the release file without starting a JVM (100 ms saved).
jdk_release_major() {
  local _jrm_v
  jdk_release_version "$1" _jrm_v
  _jrm_v=${_jrm_v%%.*}
  if [ -z "$_jrm_v" ] && [ -x "$1/bin/java" ]; then
    _jrm_v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
    _jrm_v=${_jrm_v%%.*}
  fi
  printf -v "${2:-REPLY}" '%s' "$_jrm_v"
}

jdk_good() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local major
  jdk_release_major "$1" major
  [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null
}

# Sets FOUND_JDK; prints the hint and returns 1 when there is none.
find_jdk() {
  FOUND_JDK=""
  if [ -n "${JAVA_HOME:-}" ] && jdk_good "$JAVA_HOME"; then
    FOUND_JDK=$JAVA_HOME
    return 0
  fi
  local javac d
  javac=$(command -v javac 2>/dev/null || true)
  if [ -n "$javac" ]; then
    javac=$(readlink -f "$javac")
    d=${javac%/bin/javac}
    if [ "$d" != "$javac" ] && jdk_good "$d"; then
      FOUND_JDK=$d
      return 0
    fi
  fi
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    if [ -d "$d" ] && jdk_good "$d"; then
      FOUND_JDK=$d
      return 0
    fi
  done
  echo "reprise: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
  echo "  Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
  return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  find_jdk || exit 1
  echo "$FOUND_JDK"
fi
