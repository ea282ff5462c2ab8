#!/usr/bin/env bash
set -euo pipefail
PROJECT=acme-prod
INSTANCE=orders-pg-old

gcloud config set project "$PROJECT"
gcloud sql instances describe "$INSTANCE" --format='value(state)'
# expect: destructive
gcloud sql instances delete "$INSTANCE" --quiet
# expect: destructive
gsutil -m rm -r "gs://${PROJECT}-orders-backups/"
