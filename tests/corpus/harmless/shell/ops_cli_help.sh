#!/usr/bin/env bash
# ops.sh: wrapper around our runbooks. Destructive steps are only printed, never run.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ops.sh <command>

  status         show service status
  logs SERVICE   tail service logs
  reset-help     print the manual steps to reset the staging database

The reset steps (run them by hand, after a backup!):
  dropdb staging && createdb staging
  rm -rf /var/lib/app/uploads/staging
  redis-cli -n 3 FLUSHDB
USAGE
}

case "${1:-}" in
  status) systemctl status app --no-pager ;;
  logs) journalctl -u "${2:?service}" -n 200 --no-pager ;;
  reset-help)
    echo "1. take a backup: pg_dump staging > staging.sql"
    echo "2. then run: dropdb staging && createdb staging"
    echo "3. and: rm -rf /var/lib/app/uploads/staging"
    ;;
  *) usage ;;
esac
