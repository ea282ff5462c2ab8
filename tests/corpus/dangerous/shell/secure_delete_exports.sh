#!/usr/bin/env bash
# Compliance: securely delete customer exports older than 30 days
set -euo pipefail
EXPORT_DIR=/srv/exports/customers

find "$EXPORT_DIR" -name '*.csv' -mtime +30 -print > /tmp/old_exports.txt
wc -l /tmp/old_exports.txt
while read -r f; do
  # expect: destructive
  shred -u -z -n 3 "$f"
done < /tmp/old_exports.txt
