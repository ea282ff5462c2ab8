import os
import sys

BRANCH = "main"


def ship_hotfix(message: str) -> None:
    os.system(f'git commit -am "{message}"')
    # expect: destructive
    os.system(f"git push -f origin {BRANCH}")


if __name__ == "__main__":
    ship_hotfix(sys.argv[1] if len(sys.argv) > 1 else "hotfix")
