#!/usr/bin/env bash
set -euo pipefail
NS=web
IMAGE="registry.acme.io/web:${CI_COMMIT_SHA:-latest}"

kubectl -n "$NS" get deploy web -o wide
kubectl -n "$NS" set image deploy/web web="$IMAGE"
kubectl -n "$NS" rollout status deploy/web --timeout=300s
kubectl apply -f k8s/overlays/prod/ --dry-run=server
kubectl apply -f k8s/overlays/prod/
kubectl -n "$NS" get pods -l app=web
kubectl -n "$NS" delete pod -l app=web,status=evicted --field-selector=status.phase=Failed
