"""Print the on-call runbook. The commands below are shown to a human, never run."""
import argparse
import logging

log = logging.getLogger("runbook")

STEPS = {
    "restore": [
        "psql -c 'DROP TABLE orders_broken'   # only after the restore is verified",
        "git push --force-with-lease origin hotfix   # never on main",
        "rm -rf /var/lib/app/cache/*",
    ],
    "notes": "DELETE FROM sessions without a WHERE clause is forbidden; use the retention job.",
}


def main() -> None:
    parser = argparse.ArgumentParser(description="Show the runbook; does not execute anything (no rm -rf here).")
    parser.add_argument("section", choices=sorted(STEPS))
    args = parser.parse_args()
    log.info("showing section %s: remember TRUNCATE needs approval", args.section)
    steps = STEPS[args.section]
    if isinstance(steps, str):
        print(steps)
    else:
        for i, s in enumerate(steps, 1):
            print(f"{i}. {s}")


if __name__ == "__main__":
    main()
