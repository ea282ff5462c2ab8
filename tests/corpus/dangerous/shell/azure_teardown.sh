#!/usr/bin/env bash
set -euo pipefail
RG=rg-analytics-staging
az account show -o table
# expect: destructive
az group delete --name "$RG" --yes --no-wait
