#!/usr/bin/env bash
# Attach script for the new data volume on the ingest node.
set -euo pipefail

DEVICE=/dev/xvdf
MOUNT=/data

lsblk
echo "formatting $DEVICE as ext4"
# expect: destructive
sudo mkfs.ext4 -F "$DEVICE"
sudo mkdir -p "$MOUNT"
sudo mount "$DEVICE" "$MOUNT"
echo "$DEVICE $MOUNT ext4 defaults,nofail 0 2" | sudo tee -a /etc/fstab
