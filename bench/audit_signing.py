"""The cost of signing the audit log: microseconds per record, signed against unsigned.

One run. A gate writes a handful of records per decision, each append taking the file lock,
reading the chain's tail, writing and fsyncing; with a key each record is also signed
(Ed25519 over its canonical JSON). The same realistic finding records (as ``execgate check``
writes them) are appended to two fresh logs in a temporary folder, in interleaved batches so
both see the same machine load: one log unsigned, one signed. Reported per record: the time
of an append (one record per append, as a gate writes one decision), the same in batches of
``--batch`` records (as one check of many files writes them), and the signature alone.

    python bench/audit_signing.py [--records 2000] [--batch 50] [--output bench/results/audit_signing.json]
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from analyzer.audit.log import append_records, signed_bytes, verify
from analyzer.audit.sign import generate, load_keyring, load_signer


def record(i: int) -> dict[str, Any]:
    """A finding record of the size a gate writes (about 1 KB of canonical JSON)."""
    return {"time": "2025-03-01T09:15:00.000Z", "gate": "cli", "actor": "claude", "role": "developer",
            "environment": "prod", "actor_type": "agent",
            "context_sources": {"actor": "EXECGATE_ACTOR", "actor_type": "--actor-type", "environment": "policy"},
            "policy_source": ".execgate.yaml", "policy_sha256": "ab" * 32, "policy_commit": "cd" * 20,
            "event": "finding", "path": f"etl/job_{i}.py", "cell": None, "cell_id": None, "line": 12, "column": 5,
            "source_sha256": "ef" * 32, "rule": "py.fs-delete-tree", "category": "destructive",
            "severity": "critical", "language": "python", "message": "shutil.rmtree removes data/precious",
            "targets": ["data/precious"], "decision": "block", "policy_decision": "block",
            "reason": "destructive operations block by default", "policy_rule": "built-in:destructive",
            "suppressed": False, "baselined": False, "decision_id": f"{i:032x}", "run_id": "0" * 32,
            "shadow": False, "execgate_version": "0"}


def per_record(seconds: float, count: int) -> float:
    return seconds / count * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--output", help="write the results as JSON here too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        generate(base / "keys")
        signer = load_signer(str(base / "keys" / "audit.key"), "bench")
        times = {"unsigned": 0.0, "signed": 0.0, "unsigned_batched": 0.0, "signed_batched": 0.0}
        logs = {name: base / f"{name}.jsonl" for name in times}
        # One record per append, alternating unsigned and signed.
        for i in range(args.records):
            for name, key in (("unsigned", None), ("signed", signer)) if i % 2 else (("signed", signer),
                                                                                   ("unsigned", None)):
                start = time.perf_counter()
                append_records(logs[name], [record(i)], signer=key)
                times[name] += time.perf_counter() - start
        # Batches, alternating too.
        for first in range(0, args.records, args.batch):
            batch = [record(i) for i in range(first, min(first + args.batch, args.records))]
            for name, key in (("unsigned_batched", None), ("signed_batched", signer)):
                start = time.perf_counter()
                append_records(logs[name], batch, signer=key)
                times[name] += time.perf_counter() - start
        # The signature alone, over the same bytes a record's signature covers.
        sample = signed_bytes(dict(record(0), seq=1, prev="0" * 64, key_id=signer.key_id, hash="1" * 64))
        start = time.perf_counter()
        for _ in range(args.records):
            signer.sign(sample)
        sign_only = time.perf_counter() - start
        ring = load_keyring([str(base / "keys" / "audit.pub")])
        start = time.perf_counter()
        checked = verify(logs["signed_batched"], keys=ring)
        verify_signed = time.perf_counter() - start
        start = time.perf_counter()
        verify(logs["unsigned_batched"])
        verify_unsigned = time.perf_counter() - start
        assert checked.ok and checked.signed == args.records
        size = {name: logs[name].stat().st_size / args.records for name in ("unsigned", "signed")}

    us = {name: per_record(seconds, args.records) for name, seconds in times.items()}
    results = {
        "records": args.records, "batch": args.batch,
        "append_us_per_record": {"unsigned": round(us["unsigned"], 1), "signed": round(us["signed"], 1),
                                 "added_by_signing": round(us["signed"] - us["unsigned"], 1)},
        "batched_us_per_record": {"unsigned": round(us["unsigned_batched"], 1),
                                  "signed": round(us["signed_batched"], 1),
                                  "added_by_signing": round(us["signed_batched"] - us["unsigned_batched"], 1)},
        "sign_only_us_per_record": round(per_record(sign_only, args.records), 1),
        "verify_us_per_record": {"unsigned": round(per_record(verify_unsigned, args.records), 1),
                                 "signed": round(per_record(verify_signed, args.records), 1)},
        "bytes_per_record": {name: round(value) for name, value in size.items()},
        "machine": {"python": platform.python_version(), "processor": platform.machine(),
                    "cryptography": version("cryptography")},
    }
    print(f"audit signing, {args.records} records (one run)")
    print(f"  append, one record each: unsigned {us['unsigned']:.0f} us, signed {us['signed']:.0f} us "
          f"(+{us['signed'] - us['unsigned']:.0f} us)")
    print(f"  append in batches of {args.batch}: unsigned {us['unsigned_batched']:.1f} us, signed "
          f"{us['signed_batched']:.1f} us (+{us['signed_batched'] - us['unsigned_batched']:.1f} us) per record")
    print(f"  the signature alone: {results['sign_only_us_per_record']} us per record")
    print(f"  verify: unsigned {results['verify_us_per_record']['unsigned']} us, signed "
          f"{results['verify_us_per_record']['signed']} us per record")
    print(f"  size: unsigned {size['unsigned']:.0f} B, signed {size['signed']:.0f} B per record")
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
