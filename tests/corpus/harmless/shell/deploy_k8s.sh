#!/usr/bin/env bash
# Roll out a new image tag to the storefront deployment
set -euo pipefail
TAG="${1:?usage: $0 TAG}"
NS=storefront

kubectl config current-context
kubectl -n "$NS" get deploy api -o wide
kubectl -n "$NS" set image deploy/api api="registry.acme.example/storefront/api:${TAG}"
kubectl -n "$NS" rollout status deploy/api --timeout=300s
kubectl -n "$NS" get pods -l app=api
helm upgrade --install storefront-worker charts/worker -n "$NS" --set image.tag="$TAG" --wait
echo "deployed $TAG"
