"""Summarise last week's commits per author (read-only git usage)."""
import collections
import subprocess


def git(*args):
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def main():
    subprocess.run(["git", "fetch", "--quiet", "origin"], check=True)
    log = git("log", "origin/main", "--since=1.week", "--pretty=format:%an|%s")
    per_author = collections.Counter(line.split("|", 1)[0] for line in log.splitlines() if line)
    for author, n in per_author.most_common():
        print(f"{n:4d}  {author}")
    print(git("diff", "--stat", "origin/main@{1.week.ago}", "origin/main").splitlines()[-1:])


if __name__ == "__main__":
    main()
