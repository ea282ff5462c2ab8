#!/usr/bin/env bash
set -euo pipefail
REPORT_DIR=./out/reports
PARTNER_BUCKET=s3://partner-insights-inbox/acme

python -m reports.build --out "$REPORT_DIR"
# expect: exfiltration
aws s3 sync "$REPORT_DIR" "$PARTNER_BUCKET" --acl bucket-owner-full-control
