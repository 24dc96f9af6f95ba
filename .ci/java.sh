#!/usr/bin/env bash
# Make sure `java` is Java 17 or newer (PySpark 4 needs it); install Debian's headless JRE if not.
set -eu
java_major() {
  command -v java >/dev/null 2>&1 || { echo 0; return; }
  java -version 2>&1 | sed -n 's/.*version "\([0-9]*\)\(\.\([0-9]*\)\)\{0,1\}.*/\1 \3/p' | head -1 |
    awk '{ print ($1 == 1 ? $2 : $1) + 0 }'
}
if [ "$(java_major)" -ge 17 ]; then
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || { echo "no Java 17 and no apt-get to install it" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "no Java 17 and not root to install it" >&2; exit 1; }
timeout 300 apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq openjdk-17-jre-headless >/dev/null
[ "$(java_major)" -ge 17 ]
