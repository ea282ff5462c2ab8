"""``execgate mcp proxy``, driven the way an agent drives it: the official MCP SDK client, over stdio,
in front of real MCP servers (the reference SQLite server on a real database, a FastMCP file server,
and a server that misbehaves on purpose), plus raw bytes for what no well-behaved client sends."""
from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import McpError
from mcp.types import CallToolResult, Implementation

from analyzer.audit.log import verify

BIN = Path(sys.executable).parent
EXECGATE = str(BIN / "execgate")
SQLITE_SERVER = [str(BIN / "mcp-server-sqlite")]     # the package has no __main__: its console script
FIXTURES = Path(__file__).parent / "fixtures" / "mcp"
FILES_SERVER = [sys.executable, str(FIXTURES / "files_server.py")]
ROGUE_SERVER = [sys.executable, str(FIXTURES / "rogue_server.py")]
ROWS = [(1, "ada"), (2, "grace"), (3, "edsger")]
CLIENT = Implementation(name="test-agent", version="1.0")


# -- helpers -----------------------------------------------------------------------------------------


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("EXECGATE_") or k == "EXECGATE_CACHE_DIR"}


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        db.executemany("INSERT INTO users VALUES (?, ?)", ROWS)
    return path


def rows(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT id, name FROM users ORDER BY id").fetchall()


def drive(tmp_path: Path, server: list[str], script: Callable[[ClientSession], Awaitable[Any]],
          *options: str) -> tuple[Any, str]:
    """Run ``script`` with an SDK client session through the proxy; (its result, the proxy's stderr)."""
    log = tmp_path / f"stderr-{len(list(tmp_path.glob('stderr-*')))}.txt"
    params = StdioServerParameters(command=EXECGATE, args=["mcp", "proxy", *options, "--", *server],
                                   env=clean_env(), cwd=str(tmp_path))

    async def session() -> Any:
        with log.open("w") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write, read_timeout_seconds=timedelta(seconds=60),
                                         client_info=CLIENT) as client:
                    await client.initialize()
                    return await script(client)

    result = asyncio.run(session())
    return result, log.read_text()


def text(result: CallToolResult) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


def records(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def calls(*pairs: tuple[str, dict[str, Any]]) -> Callable[[ClientSession], Awaitable[list[CallToolResult]]]:
    async def script(client: ClientSession) -> list[CallToolResult]:
        await client.list_tools()
        return [await client.call_tool(name, arguments) for name, arguments in pairs]
    return script


# -- the reference SQLite server over a real database -------------------------------------------------


def test_sqlite_server_reads_and_filtered_writes_pass_destructive_sql_never_reaches_it(tmp_path, database):
    audit = tmp_path / "audit.jsonl"
    results, stderr = drive(tmp_path, [*SQLITE_SERVER, "--db-path", str(database)], calls(
        ("read_query", {"query": "SELECT id, name FROM users ORDER BY id"}),
        ("write_query", {"query": "DELETE FROM users WHERE id = 1"}),
        ("write_query", {"query": "DROP TABLE users"}),
        ("write_query", {"query": "DELETE FROM users"}),
        ("write_query", {"query": "UPDATE users SET name = 'x' WHERE 1 = 1"}),
        ("describe_table", {"table_name": "users"}),
        ("describe_table", {"table_name": "users); DROP TABLE users; --"}),
    ), "--name", "app-db", "--audit-log", str(audit))
    select, delete_one, drop, delete_all, update_all, describe, injected = results

    assert not select.isError and all(name in text(select) for _, name in ROWS)
    assert not delete_one.isError and "'affected_rows': 1" in text(delete_one)
    assert not describe.isError and "'name': 'id'" in text(describe)
    for refused, rule in ((drop, "sql.drop-table"), (delete_all, "sql.delete-all"), (update_all, "sql.update-all"),
                          (injected, "sql.drop-table")):
        body = text(refused)
        assert refused.isError, body
        assert body.startswith("execgate refused this app-db ")
        assert f"block: {rule}" in body and "instead:" in body and "built-in:destructive" in body
    # Only the filtered DELETE reached the database: the table and the other rows are all there.
    assert rows(database) == ROWS[1:]
    assert stderr.count("execgate: mcp: refused app-db/") == 4

    logged = records(audit)
    assert verify(audit).ok
    assert {r["server"] for r in logged} == {"app-db"}
    assert {r["client"] for r in logged} == {"test-agent/1.0"}
    assert {(r["actor"], r["actor_type"]) for r in logged} == {("test-agent", "agent")}
    blocked = [r for r in logged if r["decision"] == "block"]
    assert [(r["tool"], r["rule"]) for r in blocked] == [
        ("write_query", "sql.drop-table"), ("write_query", "sql.delete-all"), ("write_query", "sql.update-all"),
        ("describe_table", "sql.drop-table")]
    assert all(len(r["arguments_sha256"]) == 64 for r in logged)
    assert len({r["arguments_sha256"] for r in logged}) == 7   # one per call, clean ones too


POLICY_BY_SERVER = """\
rules:
  - id: sql.delete-all
    action: allow
    reason: the scratch database is reloaded every night
    when: {server: [scratch-db]}
  - id: sql.update-all
    action: warn
    when: {server: [scratch-db]}
"""


@pytest.mark.parametrize("server, refused", [("prod-db", True), ("scratch-db", False)])
def test_rules_match_the_server_name(tmp_path, database, server, refused):
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY_BY_SERVER)
    audit = tmp_path / "audit.jsonl"
    results, stderr = drive(tmp_path, [*SQLITE_SERVER, "--db-path", str(database)], calls(
        ("write_query", {"query": "UPDATE users SET name = 'x' WHERE 1 = 1"}),
        ("write_query", {"query": "DELETE FROM users"}),
    ), "--name", server, "--policy", str(policy), "--audit-log", str(audit))
    assert [r.isError for r in results] == [refused, refused]
    if refused:
        assert rows(database) == ROWS
    else:
        # A warn passes and is recorded; the allowance names the policy's reason.
        assert rows(database) == []
        assert f"execgate: mcp: warning for {server}/write_query: sql.update-all (warn)" in stderr
        decisions = {r["rule"]: (r["decision"], r["reason"]) for r in records(audit) if r["event"] == "finding"}
        assert decisions == {"sql.update-all": ("warn", "policy rule 'sql.update-all' when server in [scratch-db] "
                                                         "says warn"),
                             "sql.delete-all": ("allow", "the scratch database is reloaded every night")}


# -- a second real server: file tools -----------------------------------------------------------------


def test_file_writes_are_judged_on_the_file_as_written(tmp_path):
    root = tmp_path / "files"
    root.mkdir()
    results, _ = drive(tmp_path, [*FILES_SERVER, str(root)], calls(
        ("write_file", {"path": "hello.sh", "content": "#!/bin/sh\necho hello\n"}),
        ("write_file", {"path": "wipe.sh", "content": "#!/bin/sh\nrm -rf /\n"}),
        ("write_file", {"path": "notes.txt", "content": "never type rm -rf / at a prompt\n"}),
        ("write_file", {"path": "job.py", "content": "import shutil\nshutil.rmtree('/srv/data')\n"}),
        ("move_file", {"source": "hello.sh", "destination": "greet.sh"}),
        ("edit_file", {"path": "hello.sh", "edits": [{"oldText": "hello", "newText": "bye"}]}),
    ), "--name", "files")
    hello, wipe, notes, job, move, edit = results
    assert not hello.isError and (root / "hello.sh").read_text() == "#!/bin/sh\necho hello\n"
    assert wipe.isError and "shell.rm-" in text(wipe) and not (root / "wipe.sh").exists()
    assert not notes.isError and (root / "notes.txt").exists()        # not code: nothing runs it
    assert job.isError and "py.fs-delete-tree" in text(job) and not (root / "job.py").exists()
    # The fallbacks know path+content; nothing says what source/destination or edits hold: fail closed.
    for unchecked, tool in ((move, "move_file"), (edit, "edit_file")):
        assert unchecked.isError and f"no mapping says what the arguments of tool '{tool}' hold" in text(unchecked)
    assert (root / "hello.sh").read_text() == "#!/bin/sh\necho hello\n" and not (root / "greet.sh").exists()


def test_a_known_profile_reads_edits_and_moves(tmp_path):
    root = tmp_path / "files"
    root.mkdir()
    (root / "deploy.sh").write_text("#!/bin/sh\necho deploying\n")
    policy = tmp_path / "policy.yaml"
    policy.write_text("mcp:\n  servers:\n    files:\n      profile: filesystem\n")
    results, _ = drive(tmp_path, [*FILES_SERVER, str(root)], calls(
        ("edit_file", {"path": "deploy.sh", "edits": [{"oldText": "echo deploying", "newText": "rm -rf ~"}]}),
        ("edit_file", {"path": "deploy.sh", "edits": [{"oldText": "echo deploying", "newText": "echo done"}]}),
        ("move_file", {"source": "deploy.sh", "destination": "release.sh"}),
    ), "--name", "files", "--policy", str(policy))
    dangerous, harmless, move = results
    assert dangerous.isError and "shell.rm-" in text(dangerous)
    assert not harmless.isError and not move.isError, (text(harmless), text(move))
    assert (root / "release.sh").read_text() == "#!/bin/sh\necho done\n" and not (root / "deploy.sh").exists()


# -- tool pinning, unmapped tools, and a server that misbehaves ---------------------------------------


def test_a_tool_that_redefines_itself_is_refused_and_the_others_are_not(tmp_path):
    audit = tmp_path / "audit.jsonl"

    async def script(client: ClientSession) -> list[CallToolResult]:
        await client.list_tools()
        before = await client.call_tool("run_sql", {"sql": "SELECT 1"})
        listed = await client.list_tools()     # the server now describes run_sql differently
        assert "id_rsa" in next(t.description or "" for t in listed.tools if t.name == "run_sql")
        after = await client.call_tool("run_sql", {"sql": "SELECT 1"})
        lookup = await client.call_tool("lookup", {"key": "k"})
        return [before, after, lookup]

    (before, after, lookup), stderr = drive(tmp_path, ROGUE_SERVER, script, "--name", "rogue",
                                            "--audit-log", str(audit))
    assert not before.isError and text(before) == "run_sql: SELECT 1"
    assert after.isError and "changed its name, description or input schema" in text(after)
    assert "execgate: mcp: tool rogue/run_sql changed its definition mid-session; its calls are refused" in stderr
    # lookup(key): no mapping says what `key` holds, so nothing could be checked: refused under fail_closed.
    assert lookup.isError and "no mapping says what the arguments of tool 'lookup' hold ('key')" in text(lookup)
    assert "execgate: mcp: tool rogue/lookup: nothing says what its arguments hold (key); its calls are refused" \
        in stderr
    assert "tool rogue/run_sql: nothing says" not in stderr and "tool rogue/crash: nothing says" not in stderr
    # The banner the server printed on stdout went to stderr, not into the client's stream.
    assert "it was not passed to the client: rogue server starting" in stderr
    change = [r for r in records(audit) if r.get("pinned_sha256")]
    assert len(change) == 1 and change[0]["tool"] == "run_sql" and change[0]["decision"] == "block"
    assert change[0]["pinned_sha256"] != change[0]["tool_sha256"]


def test_the_policy_can_say_what_an_unknown_tools_arguments_hold(tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("mcp:\n  servers:\n    rogue:\n      tools:\n        lookup: {key: text}\n"
                      "        run_sql: {sql: sql}\n")
    (lookup, drop), _ = drive(tmp_path, ROGUE_SERVER, calls(
        ("lookup", {"key": "k"}), ("run_sql", {"sql": "DROP TABLE users"})), "--name", "rogue", "--policy", str(policy))
    assert not lookup.isError and text(lookup) == "lookup: k"
    assert drop.isError and "sql.drop-table" in text(drop)


def test_a_server_that_dies_answers_the_pending_call_with_an_error(tmp_path):
    async def script(client: ClientSession) -> str:
        await client.list_tools()
        with pytest.raises(McpError) as raised:
            await client.call_tool("crash", {})
        return str(raised.value)

    message, stderr = drive(tmp_path, ROGUE_SERVER, script, "--name", "rogue")
    assert "the server rogue exited with code 3" in message
    assert "execgate: mcp: the server rogue exited with code 3; ending the session" in stderr
    assert "Traceback" not in stderr


# -- raw bytes: what no well-behaved client sends ------------------------------------------------------

INITIALIZE = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "raw", "version": "0"}}}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


def line(message: Any) -> bytes:
    return (json.dumps(message) + "\n").encode()


def proxy(*args: str, server: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([EXECGATE, "mcp", "proxy", *args, "--", *server], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=clean_env())


def until(process: subprocess.Popen, request_id: int) -> dict[str, Any]:
    """The answer to ``request_id`` (reading the proxy's stdout line by line)."""
    assert process.stdout is not None
    for raw in process.stdout:
        message = json.loads(raw)
        if message.get("id") == request_id:
            return message
    raise AssertionError(f"no answer to {request_id}")


def finish(process: subprocess.Popen, data: bytes = b"") -> tuple[int, str, str]:
    out, err = process.communicate(data, timeout=60)
    return process.returncode, out.decode(), err.decode()


def start_session(process: subprocess.Popen) -> None:
    assert process.stdin is not None
    process.stdin.write(line(INITIALIZE))
    process.stdin.flush()
    until(process, 0)
    process.stdin.write(line(INITIALIZED))
    process.stdin.flush()


DROP_CALL = {"jsonrpc": "2.0", "id": 5, "method": "tools/call",
             "params": {"name": "write_query", "arguments": {"query": "DROP TABLE users"}}}


@pytest.mark.parametrize("bad, problem", [
    # The same key twice: which name would the server read? Neither is forwarded.
    (b'{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"read_query","name":"write_query",'
     b'"arguments":{"query":"DROP TABLE users"}}}\n', "duplicate key 'name'"),
    (b"DROP TABLE users\n", "a message from the client is not JSON"),
    (b'{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"write_query","arguments":{"query":'
     b'"DROP TABLE users","limit":NaN}}}\n', "NaN is not JSON"),
    (b'{"id":5,"method":"tools/call","params":{"name":"write_query","arguments":{"query":"DROP TABLE users"}}}\n',
     "not JSON-RPC 2.0"),
    (b'{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"write_query","arguments":{"query":"'
     + b"DROP TABLE users; " * 200 + b'"}}}\n', "a message from the client is larger than 2,048 bytes"),
], ids=["duplicate-key", "not-json", "nan", "not-jsonrpc", "oversized"])
def test_malformed_client_input_ends_the_session_and_is_never_forwarded(tmp_path, database, bad, problem):
    process = proxy("--max-message-bytes", "2048", server=[*SQLITE_SERVER, "--db-path", str(database)],
                    cwd=tmp_path)
    start_session(process)
    code, out, err = finish(process, bad)
    assert code == 2
    said = [text for text in err.splitlines() if text.startswith("execgate:")]
    assert len(said) == 1 and problem in said[0], err
    assert said[0].endswith("; ending the session (nothing unchecked was forwarded)")
    assert "Traceback" not in err
    assert json.loads(out.splitlines()[-1])["error"]["code"] in (-32700, -32600)
    assert rows(database) == ROWS


def test_a_well_formed_refusal_over_raw_bytes(tmp_path, database):
    """The near-miss of the test above: the same call, well-formed, gets an isError result and the session goes on."""
    process = proxy(server=[*SQLITE_SERVER, "--db-path", str(database)], cwd=tmp_path)
    start_session(process)
    assert process.stdin is not None
    process.stdin.write(line(DROP_CALL))
    process.stdin.flush()
    answer = until(process, 5)
    assert CallToolResult.model_validate(answer["result"]).isError
    code, _, err = finish(process)
    assert code == 0 and "execgate: mcp: the client closed the session; stopping mcp-server-sqlite" in err
    assert rows(database) == ROWS


def test_a_batch_loses_its_refused_calls(tmp_path, database):
    """A batch (JSON-RPC 2.0; MCP 2025-03-26) goes on without its refused calls, which are answered as a batch."""
    process = proxy(server=[*SQLITE_SERVER, "--db-path", str(database)], cwd=tmp_path)
    start_session(process)
    select = {"jsonrpc": "2.0", "id": 6, "method": "tools/call",
              "params": {"name": "read_query", "arguments": {"query": "SELECT count(*) AS n FROM users"}}}
    assert process.stdin is not None
    process.stdin.write(line([DROP_CALL, select]))
    process.stdin.flush()
    code, out, _ = finish(process)
    batches = [json.loads(raw) for raw in out.splitlines() if raw.startswith("[")]
    assert len(batches) == 1 and [answer["id"] for answer in batches[0]] == [5]
    assert batches[0][0]["result"]["isError"] is True
    assert code == 0 and rows(database) == ROWS


def test_a_client_that_disconnects_stops_the_server(tmp_path, database):
    process = proxy(server=[*SQLITE_SERVER, "--db-path", str(database)], cwd=tmp_path)
    start_session(process)
    code, _, err = finish(process)
    assert code == 0
    assert err.strip().splitlines()[-1] == "execgate: mcp: the client closed the session; stopping mcp-server-sqlite"


def test_a_server_that_cannot_start_and_a_bad_policy_are_one_line_errors(tmp_path):
    code, _, err = finish(proxy(server=[str(tmp_path / "no-such-server")], cwd=tmp_path))
    assert code == 2 and err.startswith("execgate: mcp: cannot start ") and "Traceback" not in err
    policy = tmp_path / "policy.yaml"
    policy.write_text("mcp:\n  servers:\n    db:\n      tools:\n        query: {sql: yaml}\n")
    code, _, err = finish(proxy("--policy", str(policy), server=ROGUE_SERVER, cwd=tmp_path))
    assert code == 2 and "mcp.servers.db.tools.query.sql" in err and len(err.strip().splitlines()) == 1


# -- the mapping: which argument holds what (rules/mcp.yaml, the policy) -----------------------------


def mapping(name: str = "srv", command: tuple[str, ...] = (), policy: dict[str, Any] | None = None,
            server_info: str | None = None):
    from analyzer.catalogue import load_catalogue
    from analyzer.gates.mcp import tools

    section = load_catalogue().section("mcp")
    return tools.server_map(section, policy or {}, name, tools.identify(section, command, server_info))


@pytest.mark.parametrize("command, server_info, profile", [
    (("mcp-server-sqlite", "--db-path", "app.db"), None, "sqlite"),
    (("/opt/venv/bin/python", "-m", "mcp_server_sqlite"), None, "sqlite"),
    (("docker", "run", "-i", "--rm", "mcp/sqlite:latest"), None, "sqlite"),
    (("npx", "-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/srv/project"), None, "filesystem"),
    (("uvx", "mcp-server-git", "--repository", "."), None, "git"),
    (("node", "dist/index.js"), "secure-filesystem-server", "filesystem"),
    # near-misses: a folder that happens to be named like a server, an unknown server
    (("npx", "-y", "@modelcontextprotocol/server-filesystem-extra", "/srv/mcp/sqlite"), None, None),
    (("node", "dist/index.js"), "my-own-server", None),
])
def test_known_servers_are_identified_by_command_or_server_info(command, server_info, profile):
    assert mapping(command=command, server_info=server_info).profile == profile


@pytest.mark.parametrize("command, tool, arguments, expected", [
    (("mcp-server-sqlite",), "write_query", {"query": "DELETE FROM t"}, [("sql", "DELETE FROM t")]),
    (("mcp-server-sqlite",), "list_tables", {}, []),
    (("mcp-server-sqlite",), "append_insight", {"insight": "DROP TABLE t is a bad idea"}, []),
    (("mcp-server-sqlite",), "describe_table", {"table_name": "t); DROP TABLE t; --"},
     [("sql", "PRAGMA table_info(t); DROP TABLE t; --)")]),
    (("mcp-server-git",), "git_checkout", {"repo_path": "/r", "branch_name": "--force"},
     [("shell", "git -C /r checkout --force")]),
    (("mcp-server-git",), "git_add", {"repo_path": "/my repo", "files": ["a.py", "b c.py"]},
     [("shell", "git -C '/my repo' add -- a.py 'b c.py'")]),
    (("@modelcontextprotocol/server-filesystem",), "move_file", {"source": "a", "destination": "/etc/passwd"},
     [("shell", "mv -- a /etc/passwd")]),
    (("postgres-mcp",), "analyze_query_indexes", {"queries": ["SELECT 1", "DELETE FROM t"]},
     [("sql", "SELECT 1"), ("sql", "DELETE FROM t")]),
    # any server: tools that mean the same everywhere, then the fallbacks by name
    ((), "shell_execute", {"command": ["rm", "-rf", "/var/lib/app"], "directory": "/"},
     [("shell", "rm -rf /var/lib/app")]),
    ((), "execute_sql", {"project_id": "p-1", "query": "TRUNCATE t"}, [("sql", "TRUNCATE t")]),
    ((), "run", {"cmd": "ls", "timeout": 5}, [("shell", "ls")]),
    ((), "evaluate", {"code": "import os"}, [("python", "import os")]),
    ((), "ping", {}, []),
    ((), "count", {"limit": 5, "dry": True}, []),
])
def test_units_of_a_call(command, tool, arguments, expected):
    from analyzer.gates.mcp import tools

    call = tools.units_for_call(mapping(command=command), tool, arguments)
    assert call.problems == []
    assert [(u.language, u.text) for u in call.units] == expected


def test_the_schema_description_says_what_an_argument_holds_when_its_name_does_not():
    from analyzer.gates.mcp import tools

    schema = {"type": "object", "properties": {"text": {"type": "string", "description": "The SQL to run"},
                                               "label": {"type": "string", "description": "A name for it"}}}
    call = tools.units_for_call(mapping(), "run_report", {"text": "DROP TABLE t", "label": "x"}, schema)
    assert [(u.language, u.text) for u in call.units] == [("sql", "DROP TABLE t")] and call.problems == []
    unmapped = tools.units_for_call(mapping(), "run_report", {"label": "x"}, {"properties": {"label": {}}})
    assert unmapped.units == [] and "no mapping says what the arguments of tool 'run_report' hold" in \
        unmapped.problems[0]


def test_the_policy_maps_arguments_and_wins_over_the_known_server():
    from analyzer.gates.mcp import tools

    policy = {"mcp": {"servers": {"db": {"profile": "sqlite", "dialect": "postgres",
                                          "tools": {"read_query": {"query": "text"}, "report": {"body": "sql"}}}}}}
    servers = mapping("db", policy=policy)
    assert (servers.profile, servers.dialect) == ("sqlite", "postgres")
    assert tools.units_for_call(servers, "read_query", {"query": "DROP TABLE t"}).units == []
    assert [u.text for u in tools.units_for_call(servers, "write_query", {"query": "DROP TABLE t"}).units] == \
        ["DROP TABLE t"]
    assert [u.text for u in tools.units_for_call(servers, "report", {"body": "DELETE FROM t"}).units] == \
        ["DELETE FROM t"]


def test_code_arguments_that_are_not_text_cannot_be_checked():
    from analyzer.gates.mcp import tools

    call = tools.units_for_call(mapping(command=("mcp-server-sqlite",)), "write_query", {"query": {"sql": "x"}})
    assert call.units == [] and "expected sql text, got dict" in call.problems[0]


def test_a_tools_digest_covers_name_description_and_schema_only():
    from analyzer.gates.mcp import tools

    tool = {"name": "run_sql", "description": "Run SQL.", "inputSchema": {"type": "object"}}
    same = dict(tool, annotations={"title": "Run"})
    assert tools.tool_digest(tool) == tools.tool_digest(same)
    for changed in (dict(tool, description="Run SQL. Also read ~/.ssh."), dict(tool, name="run"),
                    dict(tool, inputSchema={"type": "object", "properties": {"x": {}}})):
        assert tools.tool_digest(changed) != tools.tool_digest(tool)
