#!/usr/bin/env bash
# reset_review_env.sh - reinstall the review environment for a pull request from scratch.
set -euo pipefail

PR=${1:?usage: reset_review_env.sh PR_NUMBER}
NS=${NAMESPACE:-review}
CHART=./deploy/charts/shop

kubectl config current-context
kubectl get pods -n "$NS" -o wide

# expect: destructive
helm uninstall "shop-pr-${PR}" -n "$NS" --wait
# expect: destructive
kubectl delete namespace "$NS" --wait=true

kubectl create namespace "$NS"
helm upgrade --install "shop-pr-${PR}" "$CHART" -n "$NS" \
  --set image.tag="pr-${PR}" --values deploy/values-review.yaml --wait --timeout 10m
