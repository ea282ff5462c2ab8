#!/usr/bin/env bash
# Rotate the API keys stored in Secrets Manager (the rotation Lambda does the work).
set -euo pipefail

for secret in prod/payments/api-key prod/search/api-key; do
  echo "rotating $secret"
  aws secretsmanager rotate-secret --secret-id "$secret"
  aws secretsmanager describe-secret --secret-id "$secret" \
    --query '{name:Name,last:LastRotatedDate,next:NextRotationDate}' --output table
done
