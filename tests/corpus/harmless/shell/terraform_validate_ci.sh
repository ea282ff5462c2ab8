#!/usr/bin/env bash
# .github/scripts/terraform_check.sh - formatting, validation and a saved plan for review.
set -euo pipefail

cd infra/envs/"${TF_ENV:-staging}"
terraform fmt -check -recursive
terraform init -input=false -backend-config=backend.hcl
terraform validate
terraform plan -input=false -lock-timeout=5m -out=tfplan
terraform show -no-color tfplan > plan.txt
grep -E '^(Plan|No changes)' plan.txt
if grep -q ' will be destroyed' plan.txt; then
  echo "::warning::plan destroys resources, needs a second reviewer"
fi
