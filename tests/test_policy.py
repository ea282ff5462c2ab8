"""The policy engine: loading and validating policy files, and deciding operations.

Decisions are tested on Operation values built here (the engine never parses);
policy files are real files under tests/fixtures/policy/ whose first lines say
which error or warnings they must produce.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from analyzer.engine import Checker
from analyzer.model import Report
from analyzer.model import AnalysisError, Decision, Location, Operation, make_details
from analyzer.model import Context
from analyzer.policy.cache import PolicyCache, load_policy_cached
from analyzer.policy.hosts import host_allowed, metadata_hosts
from analyzer.policy.load import find_policy_file, load_policy
from analyzer.policy.rules import Policy, PolicyError

FIXTURES = Path(__file__).parent / "fixtures" / "policy"
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))


def op(rule: str = "sql.drop-table", category: str = "destructive", language: str = "sql",
       targets: tuple[str, ...] = ("analytics.events",), path: str = "etl/job.sql", severity: str = "high",
       scratch: bool = False, **details: str) -> Operation:
    return Operation(rule=rule, category=category, severity=severity, language=language,
                     location=Location(path, 3, 1), message="m", targets=targets, scratch=scratch,
                     details=make_details(**details))


def write(tmp_path: Path, text: str, name: str = ".execgate.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- files: errors and warnings ------------------------------------------------------


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_policy_names_file_line_and_key(path: Path) -> None:
    expected = re.match(r"# expect-error: (\d+): (.*)", path.read_text().splitlines()[0])
    assert expected, f"{path} needs an '# expect-error: LINE: text' first line"
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{_shown(path)}:{expected.group(1)}: "), message
    assert expected.group(2) in message


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_policy_warnings(path: Path) -> None:
    wanted = re.findall(r"^# expect-warning: (\d+): (.*)$", path.read_text(), re.MULTILINE)
    policy = load_policy(path)
    assert len(policy.warnings) == len(wanted), policy.warnings
    for (line, text), warning in zip(wanted, policy.warnings, strict=True):
        assert warning.startswith(f"{_shown(path)}:{line}: ") and text in warning, warning


def _shown(path: Path) -> str:
    return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)


def test_empty_file_is_the_builtin_policy() -> None:
    policy = load_policy(FIXTURES / "valid" / "empty.yaml")
    builtin = load_policy()
    assert policy.fail_closed is True
    assert policy.scratch_tables == builtin.scratch_tables
    assert policy.decide(op(), Context()).action == "block"


def test_directory_missing_and_non_utf8_policies_are_errors(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="is a directory"):
        load_policy(tmp_path)
    with pytest.raises(PolicyError, match="no such policy file"):
        load_policy(tmp_path / "nope.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"environment: d\xe9v\n")
    with pytest.raises(PolicyError, match="not UTF-8"):
        load_policy(bad)


def test_full_policy_reads_every_key(tmp_path: Path) -> None:
    policy = load_policy(FIXTURES / "valid" / "full.yaml")
    assert policy.environment == "staging" and policy.fail_closed is False
    assert policy.dialect == "snowflake"
    assert policy.semgrep_rules == [str(FIXTURES / "valid" / "team-rules.yaml")]
    assert policy.audit_log == str(FIXTURES / "valid" / "logs" / "audit.jsonl")
    assert "billing.*" in policy.sensitive_tables and "scratch.*" in policy.scratch_tables
    assert "tmp_*" in policy.scratch_tables  # extends: default keeps the built-in lists
    assert policy.role_of("alice") == "dba" and policy.role_of("zed@dba.example.com") == "dba"
    assert policy.role_of("mallory") is None
    assert [r.id for r in policy.rules] == ["sql.delete-*", "*", "*", "sql.drop-*"]


def test_extends_none_is_a_blank_slate(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, "extends: none\n"))
    assert policy.scratch_tables == [] and policy.scratch_paths == []
    assert policy.decide(op(targets=("tmp_x",)), Context()).action == "block"
    assert load_policy(write(tmp_path, "extends: default\n")).decide(op(targets=("tmp_x",)), Context()).action \
        == "allow"


def test_policy_found_upward(tmp_path: Path) -> None:
    write(tmp_path, "environment: prod\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "x.sql").write_text("select 1;\n")
    assert find_policy_file(deep / "x.sql") == (tmp_path / ".execgate.yaml").resolve()
    assert load_policy(start=deep).environment == "prod"


# -- decisions -------------------------------------------------------------------------


RULES = """\
rules:
  - id: "sql.delete-*"
    action: warn
    when: {environment: [dev, staging]}
  - id: "*"
    action: allow
    when: {role: [dba], environment: [dev]}
  - id: "*"
    action: warn
    reason: release-bot deploys
    when: {actor: [release-bot], category: [destructive], language: [shell], path: ["deploy/**"]}
  - id: "sql.drop-*"
    action: warn
    when: {severity: [low], target: ["scratch.*"]}
  - id: "sql.truncate"
    action: block
    when: {actor: [agent]}
  - id: "sql.truncate"
    action: warn
"""


@pytest.fixture()
def policy(tmp_path: Path) -> Policy:
    return load_policy(write(tmp_path, RULES))


@pytest.mark.parametrize("operation, context, action, line", [
    # environment list ORs within the key
    (op("sql.delete-all"), Context(environment="dev"), "warn", 2),
    (op("sql.delete-all"), Context(environment="staging"), "warn", 2),
    (op("sql.delete-all"), Context(environment="prod"), "block", None),
    # role AND environment: both must match
    (op("sql.drop-table"), Context(role="dba", environment="dev"), "allow", 5),
    (op("sql.drop-table"), Context(role="dba", environment="prod"), "block", None),
    (op("sql.drop-table"), Context(role="analyst", environment="dev"), "block", None),
    # first match wins: the delete rule (line 2) comes before the dba rule (line 5)
    (op("sql.delete-all"), Context(role="dba", environment="dev"), "warn", 2),
    # actor, category, language and path all AND together
    (op("shell.rm-recursive", language="shell", path="deploy/run.sh"), Context(actor="release-bot"), "warn", 8),
    (op("shell.rm-recursive", language="shell", path="src/run.sh"), Context(actor="release-bot"), "block", None),
    (op("shell.rm-recursive", language="python", path="deploy/run.sh"), Context(actor="release-bot"), "block",
     None),
    (op("shell.exfil-upload", "exfiltration", "shell", path="deploy/x.sh"), Context(actor="release-bot"),
     "block", None),
    (op("shell.rm-recursive", language="shell", path="deploy/run.sh"), Context(actor="someone"), "block", None),
    # severity and target (extensions)
    (op("sql.drop-view", severity="low", targets=("scratch.v",)), Context(), "warn", 12),
    (op("sql.drop-view", severity="high", targets=("tmp_v",)), Context(), "allow", None),  # scratch
    (op("sql.drop-view", severity="low", targets=("prod.v",)), Context(), "block", None),
    # `actor: [agent]` matches the actor type too
    (op("sql.truncate"), Context(actor_type="agent"), "block", 15),
    (op("sql.truncate"), Context(actor="agent"), "block", 15),
    (op("sql.truncate"), Context(actor="alice"), "warn", 18),
])
def test_rule_matching(policy: Policy, operation: Operation, context: Context, action: str,
                       line: int | None) -> None:
    decision = policy.decide(operation, context)
    assert decision.action == action, decision
    if line is None:
        assert decision.policy_rule.startswith("built-in:")
    else:
        assert decision.policy_rule == f"{policy.source}:{line}"


def test_decision_says_why(policy: Policy) -> None:
    named = policy.decide(op("shell.rm-recursive", language="shell", path="deploy/x.sh"), Context(actor="release-bot"))
    assert named.reason == "release-bot deploys"
    generated = policy.decide(op("sql.delete-all"), Context(environment="dev"))
    assert "sql.delete-*" in generated.reason and "environment in [dev, staging]" in generated.reason
    builtin = policy.decide(op("sql.delete-all"), Context(environment="prod"))
    assert builtin == Decision("block", "destructive operations block by default", "built-in:destructive")


def test_environment_from_policy_when_context_has_none(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, RULES + "environment: dev\n"))
    assert policy.decide(op("sql.delete-all"), Context()).action == "warn"
    assert policy.decide(op("sql.delete-all"), Context(environment="prod")).action == "block"


def test_path_condition_is_relative_to_the_policy_folder(tmp_path: Path, policy: Policy) -> None:
    inside = str(tmp_path / "deploy" / "run.sh")
    outside = str(tmp_path.parent / "deploy" / "run.sh")
    ctx = Context(actor="release-bot")
    assert policy.decide(op("shell.rm-recursive", language="shell", path=inside), ctx).action == "warn"
    assert policy.decide(op("shell.rm-recursive", language="shell", path=outside), ctx).action == "block"
    assert policy.decide(op("shell.rm-recursive", language="shell", path="deploy/../src/x.sh"), ctx).action \
        == "block"


def test_project_rule_comes_before_builtin_defaults(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, 'rules:\n  - {id: "sql.delete-all", action: block}\n'))
    # tmp_* is scratch by default, but the project's rule matches first.
    decision = policy.decide(op("sql.delete-all", targets=("tmp_load",)), Context())
    assert decision.action == "block" and decision.policy_rule.endswith(":2")
    assert load_policy().decide(op("sql.delete-all", targets=("tmp_load",)), Context()).action == "allow"


@pytest.mark.parametrize("operation, environment, action, origin", [
    (op(), None, "block", "built-in:destructive"),
    (op(scratch=True), "prod", "allow", "built-in:scratch"),
    (op("py.exfil-request", "exfiltration", "python", host="evil.com"), None, "block", "built-in:exfiltration"),
    (op("py.exfil-request", "exfiltration", "python", host="api.corp.example.com"), None, "allow",
     "built-in:allowed-hosts"),
    (op("py.exfil-request", "exfiltration", "python", url="https://api.corp.example.com.evil.io/x",
        host="api.corp.example.com.evil.io"), None, "block", "built-in:exfiltration"),
    (op("py.evasion-dynamic-exec", "evasion", "python"), "dev", "warn", "built-in:evasion"),
    (op("py.evasion-dynamic-exec", "evasion", "python"), "prod", "block", "built-in:evasion-prod"),
    (op("sql.drop-user", "privilege"), None, "block", "built-in:privilege"),
    (op("shell.secret-read", "secrets", "shell"), None, "block", "built-in:secrets"),
    # execgate's own meta rules warn, even in prod under fail_closed
    (op("execgate.suppression-no-reason", "evasion", "any", targets=()), "prod", "warn", "built-in:suppression"),
    (op("execgate.suppression-unused", "evasion", "any", targets=()), "prod", "warn", "built-in:suppression"),
])
def test_builtin_defaults(tmp_path: Path, operation: Operation, environment: str | None, action: str,
                          origin: str) -> None:
    policy = load_policy(write(tmp_path, 'allowed_hosts: ["*.corp.example.com"]\n'))
    decision = policy.decide(operation, Context(environment=environment))
    assert (decision.action, decision.policy_rule) == (action, origin)


def test_evasion_in_prod_only_warns_when_fail_open(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, "fail_closed: false\n"))
    evasion = op("py.evasion-dynamic-exec", "evasion", "python")
    assert policy.decide(evasion, Context(environment="prod")).action == "warn"


# -- scratch -------------------------------------------------------------------------


@pytest.mark.parametrize("target, kind, scratch", [
    ("tmp_load", None, True),
    ("TMP_Load", None, True),
    ('"tmp_load"', "table", True),
    ("scratch.events", None, True),
    ("db.scratch.events", None, False),
    ("scratch.users", None, False),        # sensitive wins over scratch
    ("analytics.events", None, False),
    ("/tmp/build", None, True),
    ("/tmp/a/b/c", None, True),
    ("/tmp", None, False),                  # the folder itself is not under it
    ("/tmp/../etc", None, False),
    ("/tmp/x/../../etc/passwd", None, False),
    ("tmp/x", None, False),                 # relative tmp/ is not /tmp/
    ("build/cache", None, True),
    ("./build/cache", None, True),
    ("/srv/build/cache", None, False),      # absolute paths only match absolute patterns
    ("build/../src", None, False),
    ("/tmp/$DIR", None, False),             # a variable may hold ../
    ("/tmp/`id`", None, False),
    ("~/.cache/x", None, False),
    ("/var/tmp/x", None, True),
])
def test_scratch(tmp_path: Path, target: str, kind: str | None, scratch: bool) -> None:
    policy = load_policy(write(tmp_path, 'sensitive_tables: ["*.users"]\n'
                                         'scratch: {tables: ["scratch.*"], paths: ["build/**"]}\n'))
    assert policy.is_scratch(target, kind) is scratch


def test_destructive_is_allowed_only_when_every_target_is_scratch() -> None:
    policy = load_policy()
    assert policy.decide(op(targets=("tmp_a", "tmp_b")), Context()).action == "allow"
    assert policy.decide(op(targets=("tmp_a", "events")), Context()).action == "block"
    assert policy.decide(op(targets=()), Context()).action == "block"
    assert policy.decide(op("shell.rm-recursive", language="shell", targets=("/tmp/../etc",)), Context()).action \
        == "block"


# -- hosts ---------------------------------------------------------------------------

ALLOWED = ["api.internal.example.com", "*.corp.example.com", "https://hooks.example.com",
           "files.example.com:8443", "10.1.2.3", "169.254.169.254", "[fd00::1]", "bücher.example"]


@pytest.mark.parametrize("url, allowed", [
    ("api.internal.example.com", True),
    ("https://api.internal.example.com/v1?q=1", True),
    ("http://api.internal.example.com:8080/x", True),          # no port in the entry: any port
    ("API.Internal.EXAMPLE.com.", True),                        # case and trailing dot
    ("https://api.internal.example.com./x", True),
    ("http://api.internal.example.com@evil.com/", False),       # userinfo: the host is evil.com
    ("http://user:pw@api.internal.example.com/", True),
    ("api.internal.example.com.evil.com", False),
    ("evil.com/api.internal.example.com", False),
    ("https://evil.com#@api.internal.example.com", False),
    ("https://evil.com\\@api.internal.example.com", False),     # clients disagree on backslashes
    ("http://api%2einternal.example.com", False),
    ("http://api.internal.example.com..", False),
    ("xapi.internal.example.com", False),
    ("a.corp.example.com", True),
    ("a.b.corp.example.com", True),
    ("corp.example.com", False),                                # *. needs a subdomain
    ("corp.example.com.evil.net", False),
    ("https://hooks.example.com/x", True),
    ("http://hooks.example.com/x", False),                      # scheme pinned to https
    ("hooks.example.com", False),
    ("https://hooks.example.com:8443/x", False),                # https means 443
    ("https://files.example.com:8443/x", True),
    ("https://files.example.com/x", False),
    ("files.example.com:99999", False),                         # no such port
    ("http://10.1.2.3/x", True),                                # IP listed exactly
    ("http://10.1.2.4/x", False),
    ("http://169.254.169.254/latest/meta-data", True),          # listed exactly, so allowed
    ("http://[fd00::1]:80/", True),
    ("http://[FD00:0::1]/", False),                             # exact text only
    ("http://bücher.example/", True),                           # IDNA
    ("http://xn--bcher-kva.example/", True),
    ("http://аpi.internal.example.com/", False),                # Cyrillic а look-alike
    ("", False),
    ("http:///x", False),
])
def test_host_allowed(url: str, allowed: bool) -> None:
    assert host_allowed(url, ALLOWED) is allowed


def _builtin_metadata_hosts() -> list[str]:
    import yaml

    from analyzer.catalogue import rules_dir

    return yaml.safe_load((rules_dir() / "hosts.yaml").read_text(encoding="utf-8"))["metadata"]


@pytest.mark.parametrize("name", _builtin_metadata_hosts())
def test_every_metadata_host_in_rules_needs_an_exact_entry(name: str) -> None:
    host = f"[{name}]" if ":" in name else name
    assert host_allowed(f"http://{host}/latest", ["*", "*.internal", "*.goog", "169.254.*", "*:*"]) is False
    assert host_allowed(f"http://{host}/latest", [host]) is True


def test_metadata_hosts_are_read_from_the_catalogue_folder() -> None:
    custom = metadata_hosts(str(FIXTURES / "knowledge"))
    assert custom == {"metadata.example.test"}
    assert metadata_hosts() == set(_builtin_metadata_hosts())
    # Listed in the data: only an exact entry lets data go there; not listed: a glob will do.
    assert host_allowed("http://metadata.example.test/", ["*.example.test"], custom) is False
    assert host_allowed("http://metadata.example.test/", ["metadata.example.test"], custom) is True
    assert host_allowed("http://metadata.example.test/", ["*.example.test"]) is True
    assert host_allowed("http://metadata.google.internal/", ["*.internal"], custom) is True
    assert host_allowed("http://metadata.google.internal/", ["*.internal"]) is False


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f000001/", "http://[::1]/",
    "http://169.254.169.254/", "http://metadata.google.internal/", "http://METADATA.google.internal./",
    "http://[::ffff:169.254.169.254]/", "http://100.100.100.200/",
])
def test_ip_literals_and_metadata_never_match_a_glob(url: str) -> None:
    assert host_allowed(url, ["*", "*.internal", "127.*", "169.254.*", "*:*"]) is False


# -- fail_closed and the exit code ----------------------------------------------------------


@pytest.mark.parametrize("fail_closed, code", [(True, 2), (False, 0)])
def test_fail_closed_decides_the_exit_code_of_unanalysable_input(tmp_path: Path, fail_closed: bool,
                                                                 code: int) -> None:
    policy = load_policy(write(tmp_path, f"fail_closed: {str(fail_closed).lower()}\n"))
    report = Report([], [AnalysisError("x.py", "cannot parse")], [], policy, Context())
    assert report.exit_code() == code


def test_block_beats_errors_and_warn_never_changes_the_exit_code(tmp_path: Path) -> None:
    from analyzer.model import Finding

    policy = load_policy(write(tmp_path, "fail_closed: false\n"))
    warn = Finding(op(), Decision("warn", "r", "x:1"))
    block = Finding(op(), Decision("block", "r", "x:2"))
    assert Report([warn], [], [], policy, Context()).exit_code() == 0
    assert Report([warn, block], [AnalysisError("x", "y")], [], policy, Context()).exit_code() == 1


def test_engine_decides_sql_through_the_policy(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, RULES))
    checker = Checker(policy, Context(environment="dev", role="dba"))
    report = checker.check_text("DROP TABLE users;\n", "sql", "etl/x.sql")
    assert [(f.operation.rule, f.action) for f in report.findings] == [("sql.drop-table", "allow")]
    assert report.findings[0].decision.policy_rule == f"{policy.source}:5"
    assert report.exit_code() == 0
    prod = Checker(policy, Context(environment="prod")).check_text("DROP TABLE users;\n", "sql", "etl/x.sql")
    assert prod.exit_code() == 1


# -- hot reload ----------------------------------------------------------------------------


def test_policy_cache_sees_a_changed_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'rules:\n  - {id: "sql.drop-table", action: allow}\n')
    cache = PolicyCache()
    first = cache.get(path)
    assert cache.get(path) is first  # unchanged: the same object
    assert first.decide(op(), Context()).action == "allow"
    # Same size, same mtime, same inode: only the content hash can tell (the file was
    # written moments ago, so its mtime cannot be trusted yet).
    stat = path.stat()
    path.write_text('rules:\n  - {id: "sql.drop-table", action: block}\n')
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert cache.get(path).decide(op(), Context()).action == "block"


def test_policy_cache_skips_the_read_when_nothing_changed(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, "environment: dev\n")
    old = time.time() - 60
    os.utime(path, (old, old))
    cache = PolicyCache()
    first = cache.get(path)
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(AssertionError("re-read")))
    assert cache.get(path) is first


def test_policy_cache_refuses_a_broken_edit_and_finds_new_files(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    assert load_policy_cached(start=project).source == "built-in"
    path = write(project, "environment: dev\n")
    assert load_policy_cached(start=project).environment == "dev"
    path.write_text("environment: [\n")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy_cached(start=project)
    path.write_text("environment: prod\n")
    assert load_policy_cached(start=project).environment == "prod"


def test_scratch_condition(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, 'rules:\n'
                               '  - {id: "sql.*", action: block, when: {actor_type: [agent], scratch: false}}\n'
                               '  - {id: "sql.*", action: warn, when: {scratch: true, environment: [prod]}}\n'))
    agent = Context(actor_type="agent")
    assert policy.decide(op(targets=("users",)), agent).policy_rule.endswith(":2")
    assert policy.decide(op(targets=("tmp_x",)), agent).policy_rule == "built-in:scratch"
    assert policy.decide(op(targets=("users",), scratch=True), agent).action == "allow"
    assert policy.decide(op(targets=("tmp_x",)), Context(environment="prod")).action == "warn"
    with pytest.raises(PolicyError, match="scratch: 'no' is not of type 'boolean'"):
        load_policy(write(tmp_path, 'rules:\n  - {id: "*", action: warn, when: {scratch: "no"}}\n', "bad.yaml"))


# -- fuzzing: whatever the file holds, loading ends in a Policy or a one-line PolicyError ------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_KEYS = ["extends", "environment", "fail_closed", "allowed_hosts", "rules", "scratch", "when", "id", "action",
         "- id: '*'", "  action: allow", "    when: {role: [dba]}", "&a", "*a", "!!python/name:os.system", ":", "[",
         "{", "-", "'", '"', "\t", "  ", "\n", "none", "default", "true", "1"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_KEYS) | st.text(max_size=8), max_size=25))
def test_loading_never_fails_any_other_way(tmp_path: Path, parts: list[str]) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(" ".join(parts), encoding="utf-8", errors="surrogatepass")
    try:
        policy = load_policy(path)
    except PolicyError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(_shown(path))
        return
    # A policy that loads still blocks a destructive operation unless a rule says otherwise.
    decision = policy.decide(op(), Context())
    assert decision.action in ("allow", "warn", "block")
    if not policy.rules:
        assert decision.action == "block"


def test_the_builtin_policy_itself_validates_against_the_schema() -> None:
    # Loading skips validation of the shipped policy for speed; this is where it is checked.
    from analyzer.policy.load import builtin_policy_path, parse_yaml, validate

    text = builtin_policy_path().read_text(encoding="utf-8")
    data, lines = parse_yaml(text, "built-in")
    validate(data, lines, "built-in")


def test_sensitive_tables_do_not_leave_even_for_an_allowed_host(tmp_path) -> None:
    from analyzer.model import Location, Operation, make_details

    policy_file = tmp_path / ".execgate.yaml"
    policy_file.write_text('allowed_hosts: ["api.internal.example.com"]\nsensitive_tables: ["billing.*"]\n')
    policy = load_policy(policy_file)

    def send(source: str) -> Operation:
        return Operation("py.exfil-request", "exfiltration", "high", "python", Location("job.py", 3),
                         "sends data", ("https://api.internal.example.com",),
                         details=make_details(host="https://api.internal.example.com", source=source))

    ordinary = policy.decide(send("query result (SELECT id FROM app.events)"), Context())
    sensitive = policy.decide(send("query result (SELECT * FROM billing.invoices)"), Context())
    assert ordinary.action == "allow"
    assert sensitive.action == "block" and "billing.invoices" in sensitive.reason
