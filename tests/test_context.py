"""Who acts, where: flags, EXECGATE_* variables, the policy, GitHub Actions and git commits."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from analyzer.policy.context import resolve_context
from analyzer.policy.identity import agent_evidence, agent_patterns, author_of, commit_identity, is_agent_name
from analyzer.policy.load import load_policy
from analyzer.policy.rules import Policy
from analyzer.model import Context


@pytest.fixture()
def policy(tmp_path: Path) -> Policy:
    path = tmp_path / ".execgate.yaml"
    path.write_text("environment: staging\nroles:\n  dba: [alice, '*@dba.example.com']\n")
    return load_policy(path)


def test_environment_precedence(policy: Policy) -> None:
    assert resolve_context(policy, environ={}).environment == "staging"
    assert dict(resolve_context(policy, environ={}).sources)["environment"] == "policy"
    from_env = resolve_context(policy, environ={"EXECGATE_ENV": "dev"})
    assert (from_env.environment, dict(from_env.sources)["environment"]) == ("dev", "EXECGATE_ENV")
    from_flag = resolve_context(policy, environment="prod", environ={"EXECGATE_ENV": "dev"})
    assert (from_flag.environment, dict(from_flag.sources)["environment"]) == ("prod", "--env")


def test_environment_variable_is_read_from_the_process(policy: Policy, monkeypatch) -> None:
    monkeypatch.setenv("EXECGATE_ENV", "dev")
    monkeypatch.setenv("EXECGATE_ROLE", "analyst")
    monkeypatch.setenv("EXECGATE_ACTOR", "carol")
    context = resolve_context(policy)
    assert (context.environment, context.role, context.actor) == ("dev", "analyst", "carol")


def test_role_and_actor_precedence(policy: Policy) -> None:
    context = resolve_context(policy, role="dba", actor="bob", environ={"EXECGATE_ROLE": "x", "EXECGATE_ACTOR": "y"})
    assert (context.role, context.actor) == ("dba", "bob")
    assert dict(context.sources) == {"actor": "--actor", "environment": "policy", "role": "--role"}
    context = resolve_context(policy, environ={"EXECGATE_ROLE": "x", "EXECGATE_ACTOR": "y"})
    assert (context.role, context.actor) == ("x", "y")


def test_role_from_the_policy_roles_of_the_actor(policy: Policy) -> None:
    context = resolve_context(policy, actor="zoe@dba.example.com", environ={})
    assert context.role == "dba" and dict(context.sources)["role"] == "policy roles"
    assert resolve_context(policy, actor="mallory", environ={}).role is None
    assert resolve_context(policy, actor="alice", role="analyst", environ={}).role == "analyst"


def test_nothing_known_is_none(policy: Policy) -> None:
    context = resolve_context(policy, environ={})
    assert (context.actor, context.role, context.actor_type) == (None, None, None)


def test_github_actor_in_ci(policy: Policy, tmp_path: Path) -> None:
    context = resolve_context(policy, environ={"GITHUB_ACTIONS": "true", "GITHUB_ACTOR": "octocat"}, cwd=str(tmp_path))
    assert context.actor == "octocat" and dict(context.sources)["actor"] == "GITHUB_ACTOR"
    # Outside CI the variable means nothing.
    assert resolve_context(policy, environ={"GITHUB_ACTOR": "octocat"}).actor is None


def test_pull_request_author_from_the_event(policy: Policy, tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"user": {"login": "pr-author"}}}))
    env = {"GITHUB_ACTIONS": "true", "GITHUB_ACTOR": "merger", "GITHUB_EVENT_PATH": str(event)}
    context = resolve_context(policy, environ=env, cwd=str(tmp_path))
    assert context.actor == "pr-author"
    assert dict(context.sources)["actor"] == "GITHUB_EVENT_PATH pull_request.user.login"
    event.write_text("{not json")
    assert resolve_context(policy, environ=env, cwd=str(tmp_path)).actor == "merger"


def test_agent_bot_account_in_ci_is_an_agent(policy: Policy, tmp_path: Path) -> None:
    env = {"GITHUB_ACTIONS": "true", "GITHUB_ACTOR": "copilot-swe-agent[bot]"}
    context = resolve_context(policy, environ=env, cwd=str(tmp_path))
    assert context.actor_type == "agent"
    dependabot = resolve_context(policy, environ={"GITHUB_ACTIONS": "true", "GITHUB_ACTOR": "dependabot[bot]"},
                                 cwd=str(tmp_path))
    assert dependabot.actor_type is None


def test_context_json_shows_each_value_and_its_source() -> None:
    context = Context(actor="a", role=None, environment="prod", actor_type="agent",
                      sources=(("actor", "--actor"), ("actor_type", "commit: Generated-by: x"),
                               ("environment", "policy")))
    data = context.as_json()
    assert data["actor"] == "a" and data["environment"] == "prod"
    assert data["values"]["actor"] == {"value": "a", "source": "--actor"}
    assert data["values"]["role"] == {"value": None, "source": None}
    assert data["sources"]["environment"] == "policy"


# -- git --------------------------------------------------------------------------------


def git(repo: Path, *args: str, env: dict | None = None) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "EXECGATE_"))}
    base.update({"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)})
    base.update(env or {})
    return subprocess.run(["git", *args], cwd=repo, env=base, check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q")
    git(path, "config", "user.name", "Dana Dev")
    git(path, "config", "user.email", "dana@example.com")
    (path / "a.sql").write_text("select 1;\n")
    git(path, "add", "a.sql")
    for key in list(os.environ):
        if key.startswith("GIT_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return path


def commit(repo: Path, message: str) -> None:
    (repo / "a.sql").write_text((repo / "a.sql").read_text() + "select 2;\n")
    git(repo, "commit", "-q", "-a", "-m", message)


def test_agent_trailer_in_a_real_commit(repo: Path) -> None:
    commit(repo, "Drop the legacy table\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
    identity = commit_identity(cwd=str(repo))
    assert identity.author == "dana@example.com"
    assert identity.actor_type == "agent"
    assert "Co-authored-by: Claude" in identity.evidence


def test_generated_by_trailer_in_a_real_commit(repo: Path) -> None:
    commit(repo, "Refactor\n\nGenerated-by: aider 0.50\n")
    assert commit_identity(cwd=str(repo)).actor_type == "agent"


def test_human_coauthor_is_not_an_agent(repo: Path) -> None:
    commit(repo, "Pairing\n\nCo-authored-by: Bob Builder <bob@example.com>\n")
    identity = commit_identity(cwd=str(repo))
    assert identity.actor_type is None and identity.evidence == ""


def test_commit_message_file_wins_over_head(repo: Path, tmp_path: Path) -> None:
    commit(repo, "Plain commit\n")
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text("Next\n\nCo-authored-by: Copilot <copilot@github.com>\n")
    assert commit_identity(str(message), cwd=str(repo)).actor_type == "agent"
    assert commit_identity(cwd=str(repo)).actor_type is None


def test_pre_commit_gate_takes_the_author_and_trailers(repo: Path, policy: Policy) -> None:
    commit(repo, "Cleanup\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
    context = resolve_context(policy, gate="pre-commit", environ={}, cwd=str(repo))
    assert context.actor == "dana@example.com"
    assert dict(context.sources)["actor"] == "git author (GIT_AUTHOR_IDENT)"
    assert context.actor_type == "agent"
    assert dict(context.sources)["actor_type"].startswith("commit: Co-authored-by: Claude")
    # PRE_COMMIT=1 means the same as the gate name.
    assert resolve_context(policy, environ={"PRE_COMMIT": "1"}, cwd=str(repo)).actor == "dana@example.com"


def test_an_agent_cannot_declare_itself_human(repo: Path, policy: Policy) -> None:
    commit(repo, "Cleanup\n\nGenerated-by: some-agent\n")
    context = resolve_context(policy, gate="pre-commit", environ={"EXECGATE_ACTOR_TYPE": "human"}, cwd=str(repo))
    assert context.actor_type == "agent"
    assert "ignored" in dict(context.sources)["actor_type"]


def test_actor_type_from_the_environment_when_git_says_nothing(policy: Policy) -> None:
    context = resolve_context(policy, environ={"EXECGATE_ACTOR_TYPE": "agent"})
    assert context.actor_type == "agent" and dict(context.sources)["actor_type"] == "EXECGATE_ACTOR_TYPE"


def test_pull_request_commits_are_all_read(repo: Path, policy: Policy, tmp_path: Path) -> None:
    commit(repo, "Base\n")
    base = git(repo, "rev-parse", "HEAD").strip()
    commit(repo, "Agent work\n\nGenerated-by: codex\n")
    commit(repo, "Human touch-up\n")
    head = git(repo, "rev-parse", "HEAD").strip()
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"user": {"login": "dana"}, "base": {"sha": base},
                                                  "head": {"sha": head}}}))
    env = {"GITHUB_ACTIONS": "true", "GITHUB_ACTOR": "dana", "GITHUB_EVENT_PATH": str(event)}
    context = resolve_context(policy, environ=env, cwd=str(repo))
    assert context.actor == "dana" and context.actor_type == "agent"


def test_outside_a_repository_nothing_is_known(tmp_path: Path, policy: Policy) -> None:
    identity = commit_identity(cwd=str(tmp_path))
    assert identity.actor_type is None
    assert resolve_context(policy, gate="pre-commit", environ={}, cwd=str(tmp_path)).actor_type is None


@pytest.mark.parametrize("message, agent", [
    ("x\n\nCo-authored-by: Claude <noreply@anthropic.com>", True),
    ("x\n\nco-authored-by: devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
     True),
    ("x\n\nCo-authored-by: dependabot[bot] <support@github.com>", False),
    ("x\n\nGenerated-by: Cursor", True),
    ("x\n\nSigned-off-by: Dana <dana@example.com>", False),
    ("Mention Claude in the subject only", False),
])
def test_trailers(message: str, agent: bool) -> None:
    assert bool(agent_evidence(message)) is agent


def test_author_of_ident() -> None:
    assert author_of("Dana Dev <dana@example.com> 1700000000 +0100") == "dana@example.com"
    assert author_of("Dana Dev <> 1700000000 +0100") == "Dana Dev"
    assert author_of(None) is None


# -- the names are data: rules/identity.yaml --------------------------------------------------

KNOWLEDGE = Path(__file__).parent / "fixtures" / "policy" / "knowledge"


def _identity_data() -> dict:
    import yaml

    from analyzer.catalogue import rules_dir

    return yaml.safe_load((rules_dir() / "identity.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("trailer", _identity_data()["agent_trailers"])
def test_every_agent_trailer_in_rules_marks_an_agent(trailer: str) -> None:
    assert agent_evidence(f"Refactor\n\n{trailer}: some tool 1.0\n")
    assert agent_evidence(f"Refactor\n\n{trailer.lower()}  : some tool\n")


@pytest.mark.parametrize("name", _identity_data()["agent_accounts"]["names"])
def test_every_agent_account_in_rules_is_an_agent(name: str) -> None:
    assert is_agent_name(name) and is_agent_name(f"{name}-swe-agent[bot]")
    assert not is_agent_name(f"x{name}")   # a name, not a substring
    assert agent_evidence(f"x\n\nCo-authored-by: {name} <{name}@example.com>\n")


@pytest.mark.parametrize("bot", _identity_data()["automation_bots"])
def test_automation_bots_in_rules_are_not_agents(bot: str) -> None:
    assert not is_agent_name(f"{bot}[bot]") and not is_agent_name(bot)
    assert not agent_evidence(f"x\n\nCo-authored-by: {bot}[bot] <support@example.com>\n")


def test_names_and_trailers_are_read_from_the_catalogue_folder() -> None:
    custom = agent_patterns(str(KNOWLEDGE))
    assert agent_evidence("x\n\nMade-by-robot: v2\n", custom)
    assert not agent_evidence("x\n\nMade-by-robot: v2\n")
    assert not agent_evidence("x\n\nGenerated-by: aider\n", custom)
    assert agent_evidence("x\n\nPaired-with: RoboCoder <r@example.com>\n", custom)
    assert agent_evidence("x\n\nPaired-with: Some Droid <d@example.com>\n", custom)
    assert not agent_evidence("x\n\nPaired-with: Android Fan <a@example.com>\n", custom)   # a word, not a part
    assert not agent_evidence("x\n\nCo-authored-by: RoboCoder <r@example.com>\n", custom)
    assert is_agent_name("robocoder-7", custom) and not is_agent_name("robocoder-7")
    assert is_agent_name("noreply@robocoder.example", custom) and not is_agent_name("claude", custom)
    assert is_agent_name("helper[bot]", custom) and not is_agent_name("tidybot[bot]", custom)


# -- actor_type: --actor-type, EXECGATE_ACTOR_TYPE, and evidence that wins over both ----------------


def test_actor_type_flag_before_the_environment(policy: Policy) -> None:
    context = resolve_context(policy, actor_type="Human ", environ={"EXECGATE_ACTOR_TYPE": "agent"})
    assert context.actor_type == "human" and dict(context.sources)["actor_type"] == "--actor-type"
    assert resolve_context(policy, actor_type="  ", environ={"EXECGATE_ACTOR_TYPE": "bot"}).actor_type == "bot"


def test_evidence_of_an_agent_wins_over_the_flag(repo: Path, policy: Policy) -> None:
    commit(repo, "Cleanup\n\nGenerated-by: some-agent\n")
    context = resolve_context(policy, gate="pre-commit", actor_type="human", environ={}, cwd=str(repo))
    assert context.actor_type == "agent"
    assert dict(context.sources)["actor_type"].endswith("(--actor-type human ignored)")


def test_the_gates_own_evidence_wins_over_any_claim(policy: Policy) -> None:
    context = resolve_context(policy, actor_type="human", environ={"EXECGATE_ACTOR_TYPE": "human"},
                              agent_evidence=("Claude Code PreToolUse hook",))
    assert context.actor_type == "agent"
    assert dict(context.sources)["actor_type"] == "Claude Code PreToolUse hook (--actor-type human ignored)"
    agreeing = resolve_context(policy, actor_type="agent", environ={}, agent_evidence=("hook",))
    assert dict(agreeing.sources)["actor_type"] == "hook"


def test_check_takes_actor_type_and_reports_where_it_came_from(tmp_path: Path, monkeypatch, capsys) -> None:
    from analyzer.commands.main import main

    for name in ("EXECGATE_ACTOR_TYPE", "GITHUB_ACTIONS", "PRE_COMMIT"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".execgate.yaml").write_text(
        'rules:\n  - {id: "sql.*", action: warn, when: {actor_type: [human]}}\n')
    (tmp_path / "drop.sql").write_text("DROP TABLE users;\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache", "--format", "json", "drop.sql"]) == 1
    capsys.readouterr()
    assert main(["check", "--no-cache", "--format", "json", "--actor-type", "human", "drop.sql"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["context"]["values"]["actor_type"] == {"value": "human", "source": "--actor-type"}
    assert report["findings"][0]["decision"] == "warn"


class _Recording(dict):
    """An environment that remembers every name read from it."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.read.add(name)
        return super().__getitem__(name)

    def get(self, name, default=None):  # type: ignore[override]
        self.read.add(name)
        return super().get(name, default)

    def __contains__(self, name: object) -> bool:
        self.read.add(str(name))
        return super().__contains__(name)


@pytest.mark.parametrize("values", [
    {},
    {"GITHUB_ACTIONS": "true", "GITHUB_ACTOR": "octo", "EXECGATE_ENV": "prod", "EXECGATE_ROLE": "analyst"},
    {"EXECGATE_AUDIT_LOG": "audit.jsonl", "EXECGATE_AUDIT_BUFFER": "buffer", "EXECGATE_SHADOW": "1",
     "EXECGATE_ACTOR_TYPE": "agent", "PRE_COMMIT": "1"},
], ids=["nothing set", "ci", "audit and shadow"])
def test_a_prepared_gate_reads_only_the_variables_it_declares(values, tmp_path: Path) -> None:
    # The kernel prepares again only when one of ENVIRONMENT_VARIABLES changes: a variable read and not
    # declared would leave it deciding with a stale context or audit trail.
    from analyzer.prepare import ENVIRONMENT_VARIABLES, GateRequest, prepare_with_policy

    environ = _Recording({"HOME": str(tmp_path), "EXECGATE_CACHE_DIR": str(tmp_path / "cache"), **values})
    prepare_with_policy(load_policy(None), GateRequest(gate="ipython", environ=environ, cwd=str(tmp_path),
                                                       workdir=str(tmp_path)))
    undeclared = {name for name in environ.read - set(ENVIRONMENT_VARIABLES)
                  if name.startswith(("EXECGATE_", "GITHUB_", "PRE_COMMIT"))} - {"EXECGATE_CACHE_DIR"}
    assert environ.read & set(ENVIRONMENT_VARIABLES) and not undeclared, undeclared
