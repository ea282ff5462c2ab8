#!/bin/bash
# Securely wipe the old disk before sending the machine back to IT
set -e
TARGET=/dev/sda

echo "About to wipe $TARGET"
lsblk "$TARGET"
# expect: destructive
sudo dd if=/dev/zero of=$TARGET bs=4M status=progress conv=fsync
sync
