#!/usr/bin/env bash
# apply_manifests.sh - show the diff, ask, apply; then wait for the rollout.
set -euo pipefail

NS=${NS:-monitoring}
DIR=${1:-k8s/monitoring}

kubectl -n "$NS" diff -f "$DIR" || true
read -r -p "apply to $(kubectl config current-context)/$NS? [y/N] " answer
[[ "$answer" == "y" ]] || { echo "aborted"; exit 1; }

kubectl -n "$NS" apply -f "$DIR" --server-side --field-manager=ops
kubectl -n "$NS" rollout status statefulset/prometheus --timeout=5m
kubectl -n "$NS" get pods -l app.kubernetes.io/part-of=monitoring
kubectl -n "$NS" top pods --sort-by=memory | head -n 10
