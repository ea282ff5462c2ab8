#!/usr/bin/env bash
# Prepare the attached volume for the database
set -euo pipefail
DEVICE=/dev/nvme1n1
MOUNT=/var/lib/postgresql

lsblk "$DEVICE"
# expect: destructive
mkfs.ext4 -F "$DEVICE"
mkdir -p "$MOUNT"
mount "$DEVICE" "$MOUNT"
echo "$DEVICE $MOUNT ext4 defaults,nofail 0 2" >> /etc/fstab
