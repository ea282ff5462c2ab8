"""Small maintenance runner: each action name maps to a function."""
import os
import shutil
import sys

ACTIONS = {
    "rmtree": shutil.rmtree,
    "unlink": os.unlink,
    "move": shutil.move,
}

PLAN = [
    ("rmtree", "/srv/app/media/cache"),
    ("rmtree", "/srv/app/media/uploads"),
    ("unlink", "/srv/app/db/app.sqlite3"),
]


def run(plan):
    for action, *args in plan:
        fn = ACTIONS[action]
        print(f"{action} {' '.join(args)}")
        # expect: destructive
        fn(*args)


if __name__ == "__main__":
    if "--go" not in sys.argv:
        print("dry run; pass --go")
        sys.exit(0)
    run(PLAN)
