"""The audit log: hash-chained records of every decision, verification and reports."""
