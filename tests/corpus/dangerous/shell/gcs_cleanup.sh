#!/usr/bin/env bash
set -euo pipefail
PROJECT=acme-ml
gcloud config set project "$PROJECT"
# expect: destructive
gsutil -m rm -r gs://acme-ml-checkpoints/experiments/
# expect: destructive
gcloud sql instances delete ml-metadata-db --quiet
# expect: destructive
gcloud compute instances delete trainer-01 trainer-02 --zone europe-west4-a --quiet
