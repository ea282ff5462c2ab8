"""Scripts run by their path are read where they run (frontends/scriptfile.py).

Each fixture is a small project written into a temporary folder: a script that
removes /srv/data or drops a table, run from another script or a notebook. Its
near-miss twins run a harmless script, a missing one, or one outside the root.
"""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analyzer.engine import Checker
from analyzer.model import Context
from analyzer.policy.load import load_policy

DANGER_SH = "#!/bin/bash\necho cleaning\nrm -rf /srv/data\n"
HARMLESS_SH = "#!/bin/bash\necho cleaning\nls /srv/data\n"
DANGER_SQL = "SELECT 1;\nDROP TABLE users;\n"
DANGER_PY = "import shutil\n\nshutil.rmtree('/srv/data')\n"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def findings(root: Path, runner: str, checked: Path | None = None):
    report = Checker(load_policy(), Context()).check_paths([str(checked or root)])
    path = os.path.realpath(root / runner)
    return [f for f in report.findings if os.path.realpath(f.operation.location.path) == path]


RUNNERS = [
    ("bash scripts/reset.sh\n", "scripts/reset.sh", "shell.rm-recursive", "scripts/reset.sh:3"),
    ("sh ./scripts/reset.sh\n", "scripts/reset.sh", "shell.rm-recursive", "scripts/reset.sh:3"),
    ("./scripts/reset.sh\n", "scripts/reset.sh", "shell.rm-recursive", "scripts/reset.sh:3"),
    ("source scripts/reset.sh\n", "scripts/reset.sh", "shell.rm-recursive", "scripts/reset.sh:3"),
    ("psql -d app -f sql/drop.sql\n", "sql/drop.sql", "sql.drop-table", "sql/drop.sql:2"),
    ("python3 tools/wipe.py\n", "tools/wipe.py", "py.fs-delete-tree", "tools/wipe.py:3"),
    ("mysql -u app app < sql/drop.sql\n", "sql/drop.sql", "sql.drop-table", "sql/drop.sql:2"),
    ("sqlite3 app.db < sql/drop.sql\n", "sql/drop.sql", "sql.drop-table", "sql/drop.sql:2"),
    ("bash < scripts/reset.sh\n", "scripts/reset.sh", "shell.rm-recursive", "scripts/reset.sh:3"),
]


def _content(name: str, harmless: bool = False) -> str:
    if name.endswith(".sql"):
        return "SELECT 1;\nSELECT count(*) FROM users;\n" if harmless else DANGER_SQL
    if name.endswith(".py"):
        return "import os\n\nprint(os.listdir('/srv/data'))\n" if harmless else DANGER_PY
    return HARMLESS_SH if harmless else DANGER_SH


@pytest.mark.parametrize("command,script,rule,via", RUNNERS)
def test_script_run_by_path_is_read_at_the_line_that_runs_it(tmp_path, command, script, rule, via):
    write(tmp_path, {"run.sh": "set -e\necho start\n" + command, script: _content(script)})
    found = [f for f in findings(tmp_path, "run.sh") if f.operation.rule == rule]
    assert found, command
    op = found[0].operation
    assert op.location.line == 3
    assert op.detail("via") == via
    assert f"via {via}" in op.message
    assert found[0].decision.action == "block"


@pytest.mark.parametrize("command,script,rule,via", RUNNERS)
def test_harmless_script_run_by_path_stays_quiet(tmp_path, command, script, rule, via):
    write(tmp_path, {"run.sh": "set -e\necho start\n" + command, script: _content(script, harmless=True)})
    assert not [f for f in findings(tmp_path, "run.sh") if f.decision.action == "block"]


@pytest.mark.parametrize("command,script,rule,via", RUNNERS)
def test_missing_script_keeps_todays_decision(tmp_path, command, script, rule, via):
    write(tmp_path, {"run.sh": "set -e\necho start\n" + command})
    assert not [f for f in findings(tmp_path, "run.sh") if f.operation.detail("via")]
    assert not [f for f in findings(tmp_path, "run.sh") if f.operation.rule == rule]


def test_script_outside_the_root_is_not_read(tmp_path):
    write(tmp_path, {"outside/reset.sh": DANGER_SH,
                     "project/run.sh": "bash ../outside/reset.sh\nbash " + str(tmp_path / "outside/reset.sh") + "\n"})
    os.symlink(tmp_path / "outside/reset.sh", tmp_path / "project/linked.sh")
    write(tmp_path, {"project/run2.sh": "bash linked.sh\n"})
    project = tmp_path / "project"
    assert not [f for f in findings(project, "run.sh") if f.operation.rule == "shell.rm-recursive"]
    assert not [f for f in findings(project, "run2.sh") if f.operation.rule == "shell.rm-recursive"]
    # the twin: the same script inside the checked root is read
    write(tmp_path, {"project/inside.sh": DANGER_SH, "project/run3.sh": "bash inside.sh\n"})
    assert [f for f in findings(project, "run3.sh") if f.operation.rule == "shell.rm-recursive"]


def test_script_running_itself_ends(tmp_path):
    write(tmp_path, {"a.sh": "bash b.sh\n", "b.sh": "bash a.sh\nrm -rf /srv/data\n"})
    found = [f for f in findings(tmp_path, "a.sh") if f.operation.rule == "shell.rm-recursive"]
    assert [f.operation.detail("via") for f in found] == ["b.sh:2"]


def test_python_module_is_not_read_as_a_file(tmp_path):
    write(tmp_path, {"run.sh": "python3 -m wipe\n", "wipe": DANGER_PY})
    assert not [f for f in findings(tmp_path, "run.sh") if f.operation.rule == "py.fs-delete-tree"]
    write(tmp_path, {"run2.sh": "python3 wipe\n"})
    assert [f for f in findings(tmp_path, "run2.sh") if f.operation.rule == "py.fs-delete-tree"]


def test_file_read_is_among_the_analysis_reads(tmp_path):
    write(tmp_path, {"run.sh": "bash reset.sh\n", "reset.sh": DANGER_SH})
    checker = Checker(load_policy(), Context())
    analysis = checker.analyze_file(str(tmp_path / "run.sh"))
    assert os.path.realpath(tmp_path / "reset.sh") in analysis.reads
    assert not checker.analyze_file(str(tmp_path / "reset.sh")).reads


def _notebook(tmp_path: Path, *sources: str) -> None:
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(nb, str(tmp_path / "job.ipynb"))


@pytest.mark.parametrize("line", ["%run wipe.py", "%run -i wipe.py --fast", "!python wipe.py"])
def test_notebook_runs_script_beside_it(tmp_path, line):
    write(tmp_path, {"wipe.py": DANGER_PY})
    _notebook(tmp_path, "x = 1", line)
    found = [f for f in findings(tmp_path, "job.ipynb") if f.operation.rule == "py.fs-delete-tree"]
    assert found and found[0].operation.location.cell == 1
    assert found[0].operation.detail("via") == "wipe.py:3"


@pytest.mark.parametrize("line", ["%run wipe.py", "!python wipe.py"])
def test_notebook_runs_harmless_script_quietly(tmp_path, line):
    write(tmp_path, {"wipe.py": "print('hello')\n"})
    _notebook(tmp_path, line)
    assert not [f for f in findings(tmp_path, "job.ipynb") if f.decision.action == "block"]


def test_notebook_missing_script_keeps_todays_decision(tmp_path):
    _notebook(tmp_path, "%run wipe.py")
    found = findings(tmp_path, "job.ipynb")
    assert [f.operation.rule for f in found] == ["py.evasion-dynamic-exec"]


PACKAGE = ('{\n  "name": "app",\n  "scripts": {\n    "build": "tsc",\n'
           '    "reset-db": "psql -f db/drop.sql && npm run build"\n  }\n}\n')
MAKEFILE = ("DATA := /srv/data\n\n.PHONY: clean-db\nbuild:\n\tgo build\n\n"
            "clean-db: build\n\t@echo wiping\n\trm -rf /srv/data\n")


@pytest.mark.parametrize("command,via", [
    ("npm run reset-db", "package.json:5 > db/drop.sql:2"),
    ("yarn reset-db", "package.json:5 > db/drop.sql:2"),
    ("pnpm run reset-db", "package.json:5 > db/drop.sql:2"),
    ("make clean-db", "Makefile:9"),
    ("make -C . clean-db", "Makefile:9"),
])
def test_task_runner_reads_the_projects_script(tmp_path, command, via):
    write(tmp_path, {"package.json": PACKAGE, "db/drop.sql": DANGER_SQL, "Makefile": MAKEFILE,
                     "run.sh": "echo start\n" + command + "\n"})
    found = [f for f in findings(tmp_path, "run.sh") if f.decision.action == "block"]
    assert [(f.operation.location.line, f.operation.detail("via")) for f in found] == [(2, via)]


@pytest.mark.parametrize("command", ["npm run build", "yarn build", "make build", "npm run seed", "make seed",
                                     "npm install"])
def test_task_runner_near_misses_stay_quiet(tmp_path, command):
    write(tmp_path, {"package.json": PACKAGE, "db/drop.sql": DANGER_SQL, "Makefile": MAKEFILE,
                     "run.sh": "echo start\n" + command + "\n"})
    assert not [f for f in findings(tmp_path, "run.sh") if f.decision.action == "block"]


def test_task_runner_without_its_file_keeps_todays_decision(tmp_path):
    write(tmp_path, {"run.sh": "npm run reset-db\nmake clean-db\n"})
    assert not [f for f in findings(tmp_path, "run.sh") if f.decision.action == "block"]


@pytest.mark.parametrize("command,via", [
    ("cd scripts && bash reset.sh", "scripts/reset.sh:3"),
    ("(cd scripts && ./reset.sh)", "scripts/reset.sh:3"),
    ("pushd scripts && sh reset.sh && popd", "scripts/reset.sh:3"),
    ("cd scripts; cd ..; bash scripts/reset.sh", "scripts/reset.sh:3"),
    ('cd "$(dirname "$0")" && bash scripts/reset.sh', "scripts/reset.sh:3"),
    ("cd db && psql -f drop.sql", "db/drop.sql:2"),
    ("cd web && npm run reset-db", "web/package.json:5 > db/drop.sql:2"),
    ("cd ops && make clean-db", "ops/Makefile:9"),
])
def test_a_script_is_found_where_cd_went(tmp_path, command, via):
    write(tmp_path, {"scripts/reset.sh": DANGER_SH, "db/drop.sql": DANGER_SQL, "web/package.json": PACKAGE,
                     "web/db/drop.sql": DANGER_SQL, "ops/Makefile": MAKEFILE, "run.sh": command + "\n"})
    found = [f for f in findings(tmp_path, "run.sh") if f.decision.action == "block"]
    assert [f.operation.detail("via") for f in found] == [via]


@pytest.mark.parametrize("command", ['for s in scripts/lint.sh scripts/reset.sh; do bash "$s"; done',
                                     'S=scripts/lint.sh; [ -n "$FULL" ] && S=scripts/reset.sh; bash "$S"'])
def test_each_script_a_variable_may_name_is_read(tmp_path, command):
    write(tmp_path, {"scripts/reset.sh": DANGER_SH, "scripts/lint.sh": HARMLESS_SH, "run.sh": command + "\n"})
    found = [f for f in findings(tmp_path, "run.sh") if f.decision.action == "block"]
    assert [f.operation.detail("via") for f in found] == ["scripts/reset.sh:3"]
    write(tmp_path, {"scripts/reset.sh": HARMLESS_SH})
    assert not [f for f in findings(tmp_path, "run.sh") if f.decision.action == "block"]


@pytest.mark.parametrize("config,blocks", [("DATA_DIR=/srv/data\n", True), ("DATA_DIR=build\n", False)])
def test_a_sourced_file_sets_the_variables_of_the_script(tmp_path, config, blocks):
    write(tmp_path, {"config.sh": config, "run.sh": ". ./config.sh\nrm -rf \"$DATA_DIR\"\n"})
    found = [f for f in findings(tmp_path, "run.sh") if f.operation.rule == "shell.rm-recursive"]
    assert [f.operation.targets for f in found] == [(config.split("=")[1].strip(),)]
    assert (found[0].decision.action == "block") == blocks


MANAGE_PY = ("#!/usr/bin/env python\nimport sys\n\nfrom django.core.management import execute_from_command_line\n\n"
             "execute_from_command_line(sys.argv)\n")
RAILS_BIN = '#!/usr/bin/env ruby\nrequire_relative "../config/boot"\nrequire "rails/commands"\n'


@pytest.mark.parametrize("command,rule", [
    ("./manage.py flush --noinput", "shell.database-reset"),
    ('./manage.py shell -c "from app.models import User; User.objects.all().delete()"', "py.orm-delete-all"),
    ("./bin/rails db:drop", "shell.database-reset"),
])
def test_a_known_tool_run_by_its_path_in_the_tree_is_still_matched(tmp_path, command, rule):
    """The project's own manage.py or bin/rails is read for what it does (nothing here) and the
    command line is matched like the tool's; a #! naming an interpreter no front end reads
    (ruby) is not read as shell."""
    write(tmp_path, {"manage.py": MANAGE_PY, "bin/rails": RAILS_BIN, "run.sh": command + "\n"})
    analysis = Checker(load_policy(), Context()).analyze_file(str(tmp_path / "run.sh"))
    assert analysis.errors == []
    assert rule in {op.rule for op in analysis.operations}


@pytest.mark.parametrize("command", ["./manage.py migrate", './manage.py shell -c "print(1)"',
                                     "./bin/rails db:migrate"])
def test_a_known_tool_run_by_its_path_near_misses(tmp_path, command):
    write(tmp_path, {"manage.py": MANAGE_PY, "bin/rails": RAILS_BIN, "run.sh": command + "\n"})
    assert not [f for f in findings(tmp_path, "run.sh") if f.decision.action == "block"]


def test_a_cd_in_a_function_moves_the_lookup_only_when_it_is_called(tmp_path):
    write(tmp_path, {"scripts/reset.sh": DANGER_SH, "web/scripts/reset.sh": HARMLESS_SH,
                     "run.sh": "build() { cd web && npm run build; }\nbash scripts/reset.sh\n",
                     "run2.sh": "enter() { cd web; }\nenter\nbash scripts/reset.sh\n"})
    assert [f.operation.detail("via") for f in findings(tmp_path, "run.sh") if f.decision.action == "block"] \
        == ["scripts/reset.sh:3"]
    assert not [f for f in findings(tmp_path, "run2.sh") if f.decision.action == "block"]


@pytest.mark.parametrize("command", ["(cd scripts && ls); bash reset.sh", "cd scripts && bash ../reset.sh",
                                     "WEB=$(cd scripts && pwd); bash reset.sh",
                                     'cd "$SOMEWHERE" && bash reset.sh'])
def test_cd_near_misses_read_no_other_file(tmp_path, command):
    """A cd inside a subshell ends with it; ../ leads back to the root, where there is no script;
    a folder known only at run time leaves the lookup where it was."""
    write(tmp_path, {"scripts/reset.sh": DANGER_SH, "run.sh": command + "\n"})
    assert not [f for f in findings(tmp_path, "run.sh") if f.decision.action == "block"]


@pytest.mark.parametrize("command", ["uv run tools/wipe.py", "./tools/wipe.py", "poetry run python tools/wipe.py"])
def test_a_python_file_run_by_its_path_is_read_as_python(tmp_path, command):
    write(tmp_path, {"tools/wipe.py": DANGER_PY, "run.sh": command + "\n"})
    found = [f for f in findings(tmp_path, "run.sh") if f.operation.rule == "py.fs-delete-tree"]
    assert [f.operation.detail("via") for f in found] == ["tools/wipe.py:3"]
    write(tmp_path, {"tools/wipe.py": "import os\n\nprint(os.listdir('/srv/data'))\n"})
    assert not [f for f in findings(tmp_path, "run.sh") if f.decision.action == "block"]


@pytest.mark.parametrize("command", ["ssh prod bash -s < scripts/reset.sh", "ssh prod < scripts/reset.sh",
                                     "cat scripts/reset.sh | ssh prod bash", "cat scripts/reset.sh | bash",
                                     "ssh prod 'sudo bash -s' < scripts/reset.sh"])
def test_a_script_fed_to_a_shell_is_read(tmp_path, command):
    """A script file fed to a shell's standard input, here or on another host, runs: it is read."""
    write(tmp_path, {"scripts/reset.sh": DANGER_SH, "run.sh": command + "\n"})
    found = [f for f in findings(tmp_path, "run.sh") if f.operation.rule == "shell.rm-recursive"]
    assert [f.operation.detail("via") for f in found] == ["scripts/reset.sh:3"]


@pytest.mark.parametrize("command,rule", [("ssh prod cat > /tmp/x < scripts/reset.sh", None),
                                          ("cat scripts/missing.sh | bash", "shell.evasion-pipe-to-shell"),
                                          ("bash < scripts/missing.sh", None)])
def test_a_script_fed_to_something_else_or_missing_is_not_read(tmp_path, command, rule):
    write(tmp_path, {"scripts/reset.sh": DANGER_SH, "run.sh": command + "\n"})
    found = findings(tmp_path, "run.sh")
    assert not [f for f in found if f.operation.rule == "shell.rm-recursive"]
    assert (rule in {f.operation.rule for f in found}) if rule else True


FOREIGN = {
    "scripts/clean.js": "const fs = require('fs');\n\nfs.rmSync('/srv/data', { recursive: true });\n",
    "scripts/reset.js": "const { execSync } = require('child_process');\nconsole.log('reset');\n"
                        "execSync('rm -rf /srv/data');\n",
    "scripts/clean.rb": "require 'fileutils'\n\nFileUtils.rm_rf('/srv/data')\n",
    "scripts/drop.js": "db = db.getSiblingDB('app');\n\ndb.dropDatabase();\n",
}


@pytest.mark.parametrize("command,rule,via", [
    ("node scripts/clean.js", "shell.inline-code-delete", "scripts/clean.js:3"),
    ("node scripts/reset.js --force", "shell.rm-recursive", "scripts/reset.js:3"),
    ("ruby scripts/clean.rb", "shell.inline-code-delete", "scripts/clean.rb:3"),
    ("cd scripts && node clean.js", "shell.inline-code-delete", "scripts/clean.js:3"),
    ("npx tsx scripts/clean.js", "shell.inline-code-delete", "scripts/clean.js:3"),
    ('mongosh "$MONGO_URI" scripts/drop.js', "shell.mongo-drop", "scripts/drop.js:3"),
])
def test_a_script_of_another_language_is_searched_where_it_runs(tmp_path, command, rule, via):
    write(tmp_path, {**FOREIGN, "run.sh": "echo start\n" + command + "\n"})
    found = [f for f in findings(tmp_path, "run.sh") if f.operation.rule == rule]
    assert [(f.operation.location.line, f.operation.detail("via")) for f in found] == [(2, via)]
    assert found[0].decision.action == "block"


@pytest.mark.parametrize("command", ["node scripts/build.js", "node scripts/missing.js", "node --version",
                                     "ruby scripts/build.rb", 'mongosh "$MONGO_URI" scripts/build.js'])
def test_a_harmless_or_missing_script_of_another_language_stays_quiet(tmp_path, command):
    write(tmp_path, {**FOREIGN, "scripts/build.js": "console.log(require('fs').readdirSync('.'));\n",
                     "scripts/build.rb": "puts Dir.children('.')\n", "run.sh": command + "\n"})
    assert not [f for f in findings(tmp_path, "run.sh") if f.decision.action != "allow"]


@pytest.mark.parametrize("call", ['subprocess.run(["bash", "x.sh"])', 'os.system("sh x.sh")'])
def test_python_runs_script_through_the_shell(tmp_path, call):
    write(tmp_path, {"job.py": "import os\nimport subprocess\n" + call + "\n", "x.sh": DANGER_SH})
    found = [f for f in findings(tmp_path, "job.py") if f.operation.rule == "shell.rm-recursive"]
    assert [(f.operation.location.line, f.operation.detail("via")) for f in found] == [(3, "x.sh:3")]
    write(tmp_path, {"x.sh": HARMLESS_SH})
    assert not [f for f in findings(tmp_path, "job.py") if f.decision.action == "block"]


@pytest.mark.parametrize("script,blocks", [("Order.delete_all\n", True),
                                           ("Order.where(status: 'cancelled').delete_all\n", False)])
def test_rails_runner_reads_the_ruby_file_it_runs(tmp_path, script, blocks):
    """`rails runner script/cleanup.rb` runs the file, not the text `script/cleanup.rb`: a delete on
    the whole model there is reported at the line that runs it, naming the line inside."""
    write(tmp_path, {"script/cleanup.rb": "puts 'cleaning'\n" + script,
                     "run.sh": "echo start\nbin/rails runner script/cleanup.rb\n"})
    found = [f for f in findings(tmp_path, "run.sh") if f.operation.rule == "shell.orm-delete-all"]
    assert [(f.operation.location.line, f.operation.detail("via")) for f in found] == \
        ([(2, "script/cleanup.rb:2")] if blocks else [])
    assert all(f.decision.action == "block" for f in found)


# a library of functions the script sources; its functions run where the script calls them
LIB_SH = "#!/bin/bash\nwipe_data() {\n  rm -rf \"$DATA_DIR\"\n}\necho loaded\n"


@pytest.mark.parametrize("sourcing", [". ./lib/common.sh", "source lib/common.sh"])
def test_a_function_of_a_sourced_file_runs_where_the_script_calls_it(tmp_path, sourcing):
    write(tmp_path, {"lib/common.sh": LIB_SH,
                     "run.sh": sourcing + "\nDATA_DIR=/srv/data\nwipe_data\n"})
    found = [f for f in findings(tmp_path, "run.sh") if f.operation.rule == "shell.rm-recursive"]
    at_call = [f for f in found if f.operation.location.line == 3]
    assert [f.operation.targets for f in at_call] == [("/srv/data",)]
    assert at_call[0].decision.action == "block"


@pytest.mark.parametrize("run", ["DATA_DIR=/srv/data\necho done\n",
                                 "DATA_DIR=$(mktemp -d)\nwipe_data\n"])
def test_a_function_of_a_sourced_file_not_called_or_on_scratch_stays_quiet(tmp_path, run):
    """Never called, or called with DATA_DIR a fresh scratch folder: nothing at the call, and
    nothing names /srv/data (the library alone is reported at its source line, as before)."""
    write(tmp_path, {"lib/common.sh": LIB_SH, "run.sh": ". ./lib/common.sh\n" + run})
    found = findings(tmp_path, "run.sh")
    assert not [f for f in found if f.operation.location.line > 1 and f.decision.action != "allow"]
    assert not [f for f in found if "/srv/data" in f.operation.targets]
