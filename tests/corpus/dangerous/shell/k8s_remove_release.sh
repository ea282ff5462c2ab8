#!/usr/bin/env bash
# Remove the search stack from the shared cluster (moved to managed OpenSearch)
set -euo pipefail
NS=search

kubectl get all -n "$NS"
# expect: destructive
helm uninstall opensearch -n "$NS"
# expect: destructive
helm uninstall opensearch-dashboards --namespace "$NS"
# expect: destructive
kubectl delete namespace "$NS"
