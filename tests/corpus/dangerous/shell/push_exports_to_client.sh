#!/usr/bin/env bash
# Deliver monthly exports to the client
set -euo pipefail
MONTH=$(date -d 'last month' +%Y-%m)

python -m reports.export --month "$MONTH" --out ./exports/"$MONTH"
# expect: exfiltration
aws s3 sync ./exports/"$MONTH" s3://client-globex-dropbox/acme/"$MONTH"/ --acl bucket-owner-full-control
# expect: exfiltration
rsync -az ./data/customers/ deliver@sftp.globex-client.com:/incoming/customers/
