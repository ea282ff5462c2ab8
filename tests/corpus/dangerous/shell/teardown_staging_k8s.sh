#!/usr/bin/env bash
set -euo pipefail
NAMESPACE=staging
CONTEXT=gke_acme_europe-west1_main

kubectl config use-context "$CONTEXT"
kubectl get all -n "$NAMESPACE"
# expect: destructive
helm uninstall storefront -n "$NAMESPACE"
# expect: destructive
kubectl delete ns "$NAMESPACE"
echo "namespace $NAMESPACE removed"
