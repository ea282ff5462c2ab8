#!/usr/bin/env bash
# Rebuild the search pods after the config change: rolling restart, wait, show status.
set -euo pipefail

NS=${NS:-search}
kubectl -n "$NS" get deploy
kubectl -n "$NS" rollout restart deployment/search-api deployment/indexer
kubectl -n "$NS" rollout status deployment/search-api --timeout=5m
kubectl -n "$NS" rollout status deployment/indexer --timeout=5m
kubectl -n "$NS" get pods -o wide
