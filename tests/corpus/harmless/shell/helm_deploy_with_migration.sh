#!/usr/bin/env bash
# deploy.sh - run the migration job, then roll out the chart (staging / prod).
set -euo pipefail

ENVIRONMENT=${1:?usage: deploy.sh staging|prod}
NS=shop-$ENVIRONMENT
SHA=${GITHUB_SHA:-$(git rev-parse HEAD)}
SHORT=${SHA::7}

kubectl -n "$NS" apply -f - <<YAML
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate-$SHORT
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: ghcr.io/acme/shop-api:$SHORT
          command: ["alembic", "upgrade", "head"]
YAML

kubectl -n "$NS" wait --for=condition=complete "job/db-migrate-$SHORT" --timeout=10m
kubectl -n "$NS" logs "job/db-migrate-$SHORT"
kubectl -n "$NS" delete job "db-migrate-$SHORT" --ignore-not-found

helm upgrade --install shop ./deploy/charts/shop -n "$NS" \
  --values "deploy/values-$ENVIRONMENT.yaml" \
  --set image.tag="$SHORT" \
  --atomic --timeout 10m
kubectl -n "$NS" rollout status deploy/shop-api --timeout=5m
