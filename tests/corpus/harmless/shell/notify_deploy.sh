#!/usr/bin/env bash
# Check service status after deploy (read only)
set -euo pipefail
curl -fsS https://api.acme.example/healthz
curl -fsS -H "Authorization: Bearer ${STATUS_TOKEN}" https://status.acme.example/api/v1/components | jq '.[] | .name + ": " + .status'
kubectl get events -n storefront --sort-by=.lastTimestamp | tail -20
