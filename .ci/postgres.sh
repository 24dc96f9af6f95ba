#!/usr/bin/env bash
# Install and start a throwaway PostgreSQL cluster on 127.0.0.1 with a `newsfuse_test` database.
# Exits non-zero (without failing CI) when the server cannot be had.
set -eu
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || exit 1
  [ "$(id -u)" = 0 ] || exit 1
  timeout 300 apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_ctlcluster "$version" main start 2>/dev/null || pg_ctlcluster "$version" main status >/dev/null
su postgres -c "psql -v ON_ERROR_STOP=1 -tc \"SELECT 1 FROM pg_roles WHERE rolname='newsfuse'\"" </dev/null | grep -q 1 \
  || su postgres -c "psql -v ON_ERROR_STOP=1 -c \"CREATE ROLE newsfuse LOGIN PASSWORD 'newsfuse'\"" </dev/null
su postgres -c "psql -tc \"SELECT 1 FROM pg_database WHERE datname='newsfuse_test'\"" </dev/null | grep -q 1 \
  || su postgres -c "createdb -O newsfuse newsfuse_test" </dev/null
