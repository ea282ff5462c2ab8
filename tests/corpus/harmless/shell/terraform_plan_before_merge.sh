#!/usr/bin/env bash
# Check the infra change before merge: fmt, validate and plan (never apply from here).
set -euo pipefail
cd infra/envs/${ENV:-staging}

terraform fmt -check -recursive
terraform init -input=false -backend-config=backend.hcl
terraform validate
terraform plan -input=false -lock-timeout=60s -out=plan.tfplan
terraform show -no-color plan.tfplan > plan.txt
grep -E 'Plan:|No changes' plan.txt
