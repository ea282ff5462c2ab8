#!/usr/bin/env bash
RG="rg-dataplatform-prod"
az account show -o table
az resource list -g "$RG" -o table
# expect: destructive
az group delete --name "$RG" --yes --no-wait
