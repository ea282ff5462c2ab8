#!/usr/bin/env bash
# Decommission the old staging environment in GCP
set -euo pipefail
PROJECT=acme-staging-2023
gcloud config set project "$PROJECT"

gcloud sql instances list
# expect: destructive
gcloud sql instances delete staging-pg-14 --quiet
# expect: destructive
gsutil -m rm -r gs://acme-staging-2023-uploads
# expect: destructive
gcloud compute instances delete staging-worker-1 staging-worker-2 --zone europe-west1-b --quiet
