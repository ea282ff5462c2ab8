#!/usr/bin/env bash
# Deliver the nightly exports to the partner's landing host
set -euo pipefail
EXPORT_DIR=/srv/exports/nightly
PARTNER=acme@landing.partner-analytics.com

ls -la "$EXPORT_DIR"
# expect: exfiltration
rsync -az --partial -e "ssh -i $HOME/.ssh/partner_key" "$EXPORT_DIR/" "$PARTNER:/incoming/acme/"
