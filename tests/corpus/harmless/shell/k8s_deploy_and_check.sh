#!/usr/bin/env bash
# Apply manifests and wait for the rollout; print diagnostics if it fails
set -euo pipefail
NS=payments
kubectl config current-context

kubectl apply -f k8s/payments/ -n "$NS"
if ! kubectl rollout status deployment/payments-api -n "$NS" --timeout=180s; then
  kubectl get pods -n "$NS" -o wide
  kubectl describe deployment payments-api -n "$NS"
  kubectl logs -n "$NS" -l app=payments-api --tail=200
  exit 1
fi
kubectl get svc,ingress -n "$NS"
kubectl top pods -n "$NS" || true
