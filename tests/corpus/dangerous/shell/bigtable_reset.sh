#!/usr/bin/env bash
set -euo pipefail
PROJECT=acme-prod
gcloud config set project "$PROJECT"
gcloud bigtable instances list
# expect: destructive
gcloud bigtable instances delete metrics-bt --quiet
