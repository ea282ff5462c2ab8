#!/usr/bin/env bash
# list resources tagged for the data team
set -euo pipefail
aws ec2 describe-instances --filters Name=tag:team,Values=data \
  --query 'Reservations[].Instances[].[InstanceId,State.Name,LaunchTime]' --output table
aws s3api list-buckets --query 'Buckets[].Name' --output text
aws rds describe-db-instances --query 'DBInstances[].DBInstanceIdentifier'
aws s3 sync s3://acme-reports/monthly/ ./reports/monthly/
