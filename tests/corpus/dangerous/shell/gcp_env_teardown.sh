#!/usr/bin/env bash
# env.sh - manage the per-team sandbox environments on GCP.
#
#   env.sh create <team>     provision project resources for a team sandbox
#   env.sh status <team>     show what exists
#   env.sh destroy <team>    tear the sandbox down at the end of the quarter

set -euo pipefail

PROJECT=${GCP_PROJECT:-acme-sandboxes}
REGION=${GCP_REGION:-europe-west1}

usage() { sed -n '2,7p' "$0"; exit 2; }

names() {
  local team=$1
  SQL_INSTANCE="sbx-${team}-pg"
  BUCKET="gs://${PROJECT}-${team}-data"
  SA="sbx-${team}@${PROJECT}.iam.gserviceaccount.com"
  RUN_SERVICE="sbx-${team}-api"
}

create() {
  names "$1"
  gcloud sql instances create "$SQL_INSTANCE" --project "$PROJECT" --region "$REGION" \
    --database-version POSTGRES_15 --tier db-g1-small --storage-auto-increase
  gcloud storage buckets create "$BUCKET" --project "$PROJECT" --location "$REGION" --uniform-bucket-level-access
  gcloud iam service-accounts create "sbx-$1" --project "$PROJECT" --display-name "sandbox $1"
  gcloud run deploy "$RUN_SERVICE" --project "$PROJECT" --region "$REGION" \
    --image "europe-docker.pkg.dev/$PROJECT/images/api:latest" --service-account "$SA" --no-allow-unauthenticated
}

status() {
  names "$1"
  gcloud sql instances describe "$SQL_INSTANCE" --project "$PROJECT" --format='value(state)' || true
  gcloud storage ls --project "$PROJECT" "$BUCKET" | head || true
  gcloud run services describe "$RUN_SERVICE" --project "$PROJECT" --region "$REGION" --format='value(status.url)' || true
}

destroy() {
  names "$1"
  echo "tearing down sandbox $1 in $PROJECT"
  gcloud run services delete "$RUN_SERVICE" --project "$PROJECT" --region "$REGION" --quiet || true
  # expect: destructive
  gcloud sql instances delete "$SQL_INSTANCE" --project "$PROJECT" --quiet
  # expect: destructive
  gcloud storage rm --recursive "$BUCKET"
  gcloud iam service-accounts delete "$SA" --project "$PROJECT" --quiet || true
}

[[ $# -eq 2 ]] || usage
case $1 in
  create) create "$2" ;;
  status) status "$2" ;;
  destroy) destroy "$2" ;;
  *) usage ;;
esac
