#!/bin/bash
set -e
RELEASE=payments-api
NAMESPACE=payments

helm list -n "$NAMESPACE"
echo "removing $RELEASE"
# expect: destructive
helm uninstall "$RELEASE" -n "$NAMESPACE" --wait
