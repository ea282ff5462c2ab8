#!/bin/sh
# decommission: wipe the old data disk before returning the server
# expect: destructive
dd if=/dev/zero of=/dev/sdb bs=1M status=progress
# expect: destructive
shred -vzn 1 /dev/sdc
