"""What git says about who is committing: the author, and trailers that mark agent-written commits.

An agent that writes a commit usually says so in a trailer (``Co-authored-by:
Claude <noreply@anthropic.com>``, ``Generated-by: ...``) or commits as a bot
account. Policies match such commits with ``when: {actor_type: [agent]}``.
The trailers and names are data, in ``rules/identity.yaml``.
git is run as a subprocess with a timeout; when it is missing or fails the
answer is "unknown" (None), never a guess.
"""
from __future__ import annotations

import functools
import re
import subprocess
from collections.abc import Iterable, Mapping
from typing import Any

from ..records import Record


class AgentPatterns(Record, frozen=True):
    """The names in ``rules/identity.yaml``, compiled: what marks a commit or an account as an agent's."""

    trailers: re.Pattern[str]           # a trailer that says an agent wrote the commit
    coauthor: re.Pattern[str]           # a co-author trailer; group "who" is the co-author
    coauthor_agents: re.Pattern[str]    # a co-author that is an agent (searched)
    accounts: re.Pattern[str]           # an account that is an agent (searched)
    automation: re.Pattern[str]         # a bot that is automation, not an agent (matched)

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> AgentPatterns:
        flags = re.IGNORECASE | re.MULTILINE
        coauthor = section.get("coauthor_agents") or {}
        accounts = section.get("agent_accounts") or {}
        return cls(
            trailers=re.compile(rf"^{_any_of(section.get('agent_trailers'))}\s*:", flags),
            coauthor=re.compile(rf"^{_any_of(section.get('coauthor_trailers'))}\s*:(?P<who>.*)$", flags),
            coauthor_agents=re.compile(rf"{_any_of(coauthor.get('contains'))}|\b{_any_of(coauthor.get('words'))}\b",
                                       re.IGNORECASE),
            accounts=re.compile(rf"{_any_of(accounts.get('contains'))}|^{_any_of(accounts.get('names'))}\b|"
                                rf"^{_any_of(accounts.get('addresses'))}$", re.IGNORECASE),
            automation=re.compile(rf"^{_any_of(section.get('automation_bots'))}(?:\[bot\])?$", re.IGNORECASE),
        )


def _any_of(words: Iterable[str] | None) -> str:
    """A group matching any of ``words`` literally; one that never matches when there are none."""
    words = list(words or ())
    return f"(?:{'|'.join(re.escape(str(w)) for w in words)})" if words else "(?!)"


@functools.cache
def agent_patterns(directory: str | None = None) -> AgentPatterns:
    """The ``identity`` section of the catalogue (``rules/identity.yaml``, or of the catalogue in
    ``directory``), compiled once; read only when a gate asks who is committing."""
    from ..catalogue import load_catalogue

    return AgentPatterns.from_section(load_catalogue(directory).section("identity"))


class Identity(Record, frozen=True):
    author: str | None
    actor_type: str | None
    evidence: str = ""      # the trailer or name that made actor_type "agent"


def _git(*args: str, cwd: str | None = None) -> str | None:
    try:
        result = subprocess.run(["git", *args], capture_output=True, text=True, timeout=5, check=False,
                                cwd=cwd, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def agent_evidence(message: str, patterns: AgentPatterns | None = None) -> str:
    """The first trailer of a commit message that says an agent wrote it ("" when none does)."""
    known = patterns or agent_patterns()
    match = known.trailers.search(message)
    if match:
        return message[match.start():].splitlines()[0].strip()
    for co in known.coauthor.finditer(message):
        who = co.group("who").strip()
        if known.coauthor_agents.search(who) and not known.automation.match(who.split("<")[0].strip()):
            return co.group(0).strip()
    return ""


def is_agent_name(name: str | None, patterns: AgentPatterns | None = None) -> bool:
    """Whether an account name or address is a known coding agent or an AI bot account."""
    if not name:
        return False
    known = patterns or agent_patterns()
    return bool(known.accounts.search(name)) and not known.automation.match(name.split("@")[0])


def author_of(ident: str | None) -> str | None:
    """The address in ``Name <email> 1700000000 +0000`` (the name when there is no address)."""
    if not ident:
        return None
    ident = re.sub(r"\s+\d+\s+[+-]\d{4}$", "", ident)
    match = re.search(r"<([^>]*)>", ident)
    if match and match.group(1):
        return match.group(1)
    return ident.split("<")[0].strip() or None


def commit_identity(message_file: str | None = None, cwd: str | None = None,
                    revisions: str | None = None) -> Identity:
    """The author of the commit being made (``git var GIT_AUTHOR_IDENT``), and whether the
    commit message (``message_file``, else the commits in ``revisions``, else HEAD) marks it
    as agent-written."""
    author = author_of(_git("var", "GIT_AUTHOR_IDENT", cwd=cwd))
    message = None
    if message_file:
        try:
            with open(message_file, encoding="utf-8", errors="replace") as handle:
                message = handle.read()
        except OSError:
            message = None
    if message is None and revisions:
        message = _git("log", "--format=%B%n", revisions, "--", cwd=cwd)
    if message is None:
        message = _git("log", "-1", "--format=%B", cwd=cwd) or ""
    evidence = agent_evidence(message)
    if not evidence and is_agent_name(author):
        evidence = f"author {author}"
    return Identity(author=author, actor_type="agent" if evidence else None, evidence=evidence)
