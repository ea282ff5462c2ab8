#!/usr/bin/env bash
# PR job: plan only, post the plan as an artifact
set -euo pipefail
cd infra/envs/prod
terraform fmt -check -recursive
terraform init -input=false
terraform validate
terraform plan -input=false -out=tfplan -var-file=prod.tfvars
terraform show -no-color tfplan > plan.txt
grep -E 'will be destroyed|must be replaced' plan.txt && echo "::warning::plan destroys resources" || true
