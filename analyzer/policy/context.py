"""Who acts, in which role and environment: from flags, then the environment, then CI and git.

Precedence, for each value (``Context.sources`` records which one it came from):

- environment: ``--env`` > ``EXECGATE_ENV`` > the policy's ``environment``
- actor: ``--actor`` > ``EXECGATE_ACTOR`` > in GitHub Actions the pull request's author
  (``GITHUB_EVENT_PATH`` ``pull_request.user.login``) else ``GITHUB_ACTOR`` > in
  pre-commit (gate ``pre-commit`` or ``PRE_COMMIT=1``) the commit author (``git var GIT_AUTHOR_IDENT``)
- role: ``--role`` > ``EXECGATE_ROLE`` > the first policy ``roles`` entry naming the actor
- actor_type: ``agent`` when there is evidence of one: the commit's trailers
  (``Co-authored-by:`` an agent, ``Generated-by:``), the CI actor's account, or the
  gate itself (the Claude Code hook is called by the agent). Otherwise the claim:
  ``--actor-type`` > ``EXECGATE_ACTOR_TYPE`` (any word, e.g. ``human``, ``agent``, ``bot``).
  Evidence of an agent is never overridden by a claim that it is not one: an
  agent could set an environment variable or a flag, it cannot unwrite its trailers.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence

from ..model import Context
from .rules import Policy

# Every environment variable resolve_context reads (a long-lived gate resolves again when one changes).
VARIABLES = ("EXECGATE_ENV", "EXECGATE_ROLE", "EXECGATE_ACTOR", "EXECGATE_ACTOR_TYPE", "GITHUB_ACTIONS", "GITHUB_ACTOR",
             "GITHUB_EVENT_PATH", "PRE_COMMIT", "PRE_COMMIT_COMMIT_MSG_FILENAME")
_FLAG_NAMES = {"environment": "--env", "role": "--role", "actor": "--actor", "actor_type": "--actor-type"}


def _pull_request(environ: Mapping[str, str]) -> dict:
    """The ``pull_request`` object of the GitHub event, when the event file has one."""
    path = environ.get("GITHUB_EVENT_PATH")
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            event = json.load(handle)
    except (OSError, ValueError):
        return {}
    pr = event.get("pull_request") if isinstance(event, dict) else None
    return pr if isinstance(pr, dict) else {}


def resolve_context(policy: Policy, environment: str | None = None, role: str | None = None,
                    actor: str | None = None, gate: str = "cli",
                    environ: Mapping[str, str] | None = None, cwd: str | None = None,
                    actor_type: str | None = None, agent_evidence: Sequence[str] = ()) -> Context:
    """Each value from the first place that has it; ``sources`` says which place that was.

    ``actor_type`` is the ``--actor-type`` claim; ``agent_evidence`` what the gate itself knows
    of an agent acting (recorded as the source), which no claim overrides."""
    env = os.environ if environ is None else environ
    sources: dict[str, str] = {}

    def pick(name: str, flag: str | None, env_var: str, *fallbacks: tuple[str, str | None]) -> str | None:
        if flag:
            sources[name] = _FLAG_NAMES[name]
            return flag
        if env.get(env_var):
            sources[name] = env_var
            return env[env_var]
        for label, value in fallbacks:
            if value:
                sources[name] = label
                return value
        return None

    env_value = pick("environment", environment, "EXECGATE_ENV", ("policy", policy.environment))

    actor_fallbacks: list[tuple[str, str | None]] = []
    evidence: list[str] = list(agent_evidence)
    in_ci = env.get("GITHUB_ACTIONS") == "true"
    in_pre_commit = gate == "pre-commit" or env.get("PRE_COMMIT") == "1"
    pr = _pull_request(env) if in_ci else {}
    if in_ci:
        login = (pr.get("user") or {}).get("login") if isinstance(pr.get("user"), dict) else None
        actor_fallbacks.append(("GITHUB_EVENT_PATH pull_request.user.login", login))
        actor_fallbacks.append(("GITHUB_ACTOR", env.get("GITHUB_ACTOR")))
    if in_pre_commit or in_ci:
        from .identity import commit_identity

        revisions = None
        base, head = (pr.get("base") or {}).get("sha"), (pr.get("head") or {}).get("sha")
        if base and head:
            revisions = f"{base}..{head}"
        identity = commit_identity(env.get("PRE_COMMIT_COMMIT_MSG_FILENAME"), cwd=cwd, revisions=revisions)
        if in_pre_commit:
            actor_fallbacks.append(("git author (GIT_AUTHOR_IDENT)", identity.author))
        if identity.evidence:
            evidence.append(f"commit: {identity.evidence}")
    actor_value = pick("actor", actor, "EXECGATE_ACTOR", *actor_fallbacks)

    role_value = pick("role", role, "EXECGATE_ROLE", ("policy roles", policy.role_of(actor_value)))

    if in_ci and sources.get("actor", "").startswith(("GITHUB_", "git ")):
        from .identity import is_agent_name

        if is_agent_name(actor_value):
            evidence.append(f"CI actor {actor_value}")
    claimed, claimed_by = None, ""
    for value, label in ((actor_type, "--actor-type"), (env.get("EXECGATE_ACTOR_TYPE"), "EXECGATE_ACTOR_TYPE")):
        if value and value.strip():
            claimed, claimed_by = value.strip().lower(), label
            break
    type_value = None
    if evidence:
        type_value = "agent"
        sources["actor_type"] = "; ".join(evidence)
        if claimed and claimed != "agent":
            sources["actor_type"] += f" ({claimed_by} {claimed} ignored)"
    elif claimed:
        type_value = claimed
        sources["actor_type"] = claimed_by
    return Context(actor=actor_value, role=role_value, environment=env_value, actor_type=type_value,
                   sources=tuple(sorted(sources.items())))
