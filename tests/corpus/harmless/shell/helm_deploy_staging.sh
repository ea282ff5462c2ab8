#!/usr/bin/env bash
set -euo pipefail
RELEASE=web
CHART=./charts/web
NS=staging

helm dependency update "$CHART"
helm lint "$CHART" -f values/staging.yaml
helm diff upgrade "$RELEASE" "$CHART" -n "$NS" -f values/staging.yaml || true
helm upgrade --install "$RELEASE" "$CHART" \
  --namespace "$NS" --create-namespace \
  -f values/staging.yaml \
  --set image.tag="${IMAGE_TAG:-latest}" \
  --atomic --timeout 5m
helm history "$RELEASE" -n "$NS" | tail -3
