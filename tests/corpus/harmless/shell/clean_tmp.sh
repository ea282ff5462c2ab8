#!/bin/sh
# clear our own scratch space under /tmp
rm -rf /tmp/acme-build-cache
rm -rf /tmp/pytest-of-ci/
rm -f /tmp/acme.pid
find /tmp -maxdepth 1 -name 'acme-*.sock' -print
echo "if the disk is still full, ask ops before running rm -rf on /var"
