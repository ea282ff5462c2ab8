#!/usr/bin/env bash
set -euo pipefail
NS=payments
kubectl -n "$NS" get pods -o wide
kubectl -n "$NS" rollout restart deployment/payments-api
kubectl -n "$NS" rollout status deployment/payments-api --timeout=180s
kubectl -n "$NS" logs deploy/payments-api --tail=50
