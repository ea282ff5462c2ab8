"""Who acts, in which role and environment: from flags, then the environment, then CI and git."""
from __future__ import annotations

import os

from .policy import Context, Policy


def resolve_context(policy: Policy, environment: str | None = None, role: str | None = None,
                    actor: str | None = None, gate: str = "cli") -> Context:
    """Each value from the first place that has it; ``sources`` says which place that was."""
    sources: dict[str, str] = {}

    def pick(name: str, flag: str | None, env_var: str, *fallbacks: tuple[str, str | None]) -> str | None:
        if flag:
            sources[name] = f"--{'env' if name == 'environment' else name}"
            return flag
        if os.environ.get(env_var):
            sources[name] = env_var
            return os.environ[env_var]
        for label, value in fallbacks:
            if value:
                sources[name] = label
                return value
        return None

    env_value = pick("environment", environment, "EXECGATE_ENV", ("policy", policy.environment))
    role_value = pick("role", role, "EXECGATE_ROLE")
    actor_fallbacks = []
    if os.environ.get("GITHUB_ACTIONS") == "true":
        actor_fallbacks.append(("GITHUB_ACTOR", os.environ.get("GITHUB_ACTOR")))
    actor_type = None
    if gate == "pre-commit" or os.environ.get("PRE_COMMIT") == "1":
        from .gitinfo import commit_identity

        identity = commit_identity()
        actor_fallbacks.append(("git author", identity.author))
        actor_type = identity.actor_type
    actor_value = pick("actor", actor, "EXECGATE_ACTOR", *actor_fallbacks)
    if os.environ.get("EXECGATE_ACTOR_TYPE"):
        actor_type = os.environ["EXECGATE_ACTOR_TYPE"]
        sources["actor_type"] = "EXECGATE_ACTOR_TYPE"
    elif actor_type:
        sources["actor_type"] = "commit trailers"
    return Context(actor=actor_value, role=role_value, environment=env_value, actor_type=actor_type,
                   sources=tuple(sorted(sources.items())))
