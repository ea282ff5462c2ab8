#!/usr/bin/env bash
# free_disk_space.sh - the build box is at 97%; reclaim space.
set -euo pipefail

echo "before:"; df -h /

docker image prune -f
journalctl --vacuum-time=3d

# old application logs and rotated archives
# expect: destructive
sudo rm -rf /var/log/myapp/*

# every project's node_modules can be reinstalled with npm ci
# expect: destructive
find "$HOME/projects" -type d -name node_modules -prune -exec rm -rf {} +

echo "after:"; df -h /
