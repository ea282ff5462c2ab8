#!/usr/bin/env bash
# Sync our S3 exports to the partner's bucket so their team can pick them up.
set -euo pipefail

EXPORT_DIR=./data/exports
PARTNER_BUCKET=s3://northwind-partner-ingest/acme

psql "$DATABASE_URL" --csv -c "SELECT id, email, full_name, plan, mrr FROM customers WHERE status = 'active'" \
  > "$EXPORT_DIR/customers_$(date +%F).csv"

# expect: exfiltration
aws s3 sync "$EXPORT_DIR" "$PARTNER_BUCKET" --profile partner --acl bucket-owner-full-control
