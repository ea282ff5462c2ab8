#!/usr/bin/env bash
# deploy.sh - deploy the web chart to a cluster.
#
#   deploy.sh <staging|production> <image-tag>
#
# Uses `helm upgrade --install --atomic`: if the rollout fails helm rolls back
# to the previous release automatically. Nothing is uninstalled or deleted.

set -euo pipefail

ENVIRONMENT=${1:?environment}
TAG=${2:?image tag}
CHART=deploy/charts/web
RELEASE=web
NAMESPACE=web-$ENVIRONMENT

case $ENVIRONMENT in
  staging) CONTEXT=gke_acme_europe-west1_staging ;;
  production) CONTEXT=gke_acme_europe-west1_prod ;;
  *) echo "unknown environment $ENVIRONMENT" >&2; exit 2 ;;
esac

kubectl config use-context "$CONTEXT"
kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE"

echo "diff against the running release:"
helm diff upgrade "$RELEASE" "$CHART" -n "$NAMESPACE" \
  -f "$CHART/values.yaml" -f "$CHART/values-$ENVIRONMENT.yaml" --set image.tag="$TAG" || true

if [[ $ENVIRONMENT == production ]]; then
  read -r -p "deploy $TAG to production? [y/N] " ok
  [[ $ok == y ]] || { echo "aborted"; exit 1; }
fi

helm upgrade --install "$RELEASE" "$CHART" \
  --namespace "$NAMESPACE" \
  -f "$CHART/values.yaml" -f "$CHART/values-$ENVIRONMENT.yaml" \
  --set image.tag="$TAG" \
  --atomic --timeout 10m --history-max 20

kubectl -n "$NAMESPACE" rollout status deploy/web --timeout=5m
kubectl -n "$NAMESPACE" get pods -l app.kubernetes.io/name=web -o wide
helm history "$RELEASE" -n "$NAMESPACE" --max 5
