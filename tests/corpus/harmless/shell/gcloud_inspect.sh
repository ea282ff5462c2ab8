#!/usr/bin/env bash
set -euo pipefail
gcloud config set project acme-ml
gcloud compute instances list --filter="labels.team=ml" --format="table(name,zone,status)"
gcloud sql instances describe ml-metadata-db --format=json | jq '.settings.tier'
gsutil ls -l gs://acme-ml-checkpoints/experiments/ | tail -1
gsutil cp gs://acme-ml-checkpoints/experiments/best/model.pt ./models/
