#!/usr/bin/env bash
# remove every bucket of the old "legacy-" project
set -euo pipefail
for b in $(aws s3 ls | awk '{print $3}' | grep '^legacy-'); do
    echo "removing $b"
    # expect: destructive
    aws s3 rb "s3://$b" --force
done
# expect: destructive
sudo rm --recursive --force /var/lib/docker/volumes/legacy_pgdata
