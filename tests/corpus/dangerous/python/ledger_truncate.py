"""Start a fresh ledger file for the new fiscal period."""
import json
import os
import sys

with open("config/ledger.json") as fh:
    config = json.load(fh)

ledger_path = config["ledger_path"]
if not os.path.exists(ledger_path):
    sys.exit(f"no ledger at {ledger_path}")

size = os.path.getsize(ledger_path)
print(f"ledger {ledger_path} is {size} bytes; truncating for new period {config['period']}")
# expect: destructive
os.truncate(ledger_path, 0)
