#!/usr/bin/env bash
set -euo pipefail
WORKDIR="$(mktemp -d -t export-XXXXXX)"
cleanup() { rm -rf "$WORKDIR"; }
trap cleanup EXIT

pg_dump --schema-only -d shop > "$WORKDIR/schema.sql"
diff -u schema/expected.sql "$WORKDIR/schema.sql" && echo "schema matches"
