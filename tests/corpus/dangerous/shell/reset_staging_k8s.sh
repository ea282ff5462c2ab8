#!/usr/bin/env bash
# Reset staging: wipe the namespace and redeploy from the chart.
set -euo pipefail

NS=staging
kubectl config use-context acme-eks-shared
# expect: destructive
kubectl delete namespace "$NS" --wait=true
kubectl create namespace "$NS"
helm upgrade --install api charts/api -n "$NS" -f charts/api/values-staging.yaml
