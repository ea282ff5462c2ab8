#!/usr/bin/env bash
# free disk space on the build agent
set -x
docker system df
# expect: destructive
sudo rm -r -f /var/lib/jenkins/workspace
# expect: destructive
sudo rm --recursive --force /opt/app/data
