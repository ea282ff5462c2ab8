#!/usr/bin/env bash
# Reset a preview environment: usage ./reset_env.sh <namespace>
set -euo pipefail
NS="${1:?namespace required}"
CTX="${KUBE_CONTEXT:-prod-eu-1}"

kubectl --context "$CTX" get ns "$NS"
# expect: destructive
kubectl --context "$CTX" delete namespace "$NS" --wait=true
kubectl --context "$CTX" create namespace "$NS"
# expect: destructive
kubectl --context "$CTX" -n default delete pvc --all
