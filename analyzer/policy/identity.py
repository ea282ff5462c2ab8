"""What git says about who is committing: the author, and trailers that mark agent-written commits.

An agent that writes a commit usually says so in a trailer (``Co-authored-by:
Claude <noreply@anthropic.com>``, ``Generated-by: ...``) or commits as a bot
account. Policies match such commits with ``when: {actor_type: [agent]}``.
git is run as a subprocess with a timeout; when it is missing or fails the
answer is "unknown" (None), never a guess.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

AGENT_TRAILERS = re.compile(r"^(?:Generated-by|Generated-with|X-Agent|Agent|AI-Agent|Assisted-by)\s*:",
                            re.IGNORECASE | re.MULTILINE)
# Names and addresses of coding agents and bot accounts (GitHub apps end in "[bot]").
AGENT_NAMES = re.compile(r"\[bot\]|\bbot\b|claude|copilot|devin|cursor|codex|aider|gpt|openai|anthropic|"
                         r"gemini|jules|sweep|openhands|amazon-q|codeium|windsurf", re.IGNORECASE)
BOT_COAUTHOR = re.compile(r"^Co-authored-by\s*:(?P<who>.*)$", re.IGNORECASE | re.MULTILINE)
# Accounts (logins, author addresses) that are agents: bot accounts and agents' own names.
# Narrower than AGENT_NAMES: a person's address at an AI vendor is still a person.
AGENT_ACCOUNTS = re.compile(r"\[bot\]|^(?:claude|copilot|devin|codex|cursor(?:agent)?|aider|jules|openhands|"
                            r"sweep|gemini)\b|^noreply@anthropic\.com$|^cursoragent@cursor\.com$", re.IGNORECASE)
# Bots that are automation, not AI agents, keep actor_type None unless trailers say otherwise.
NOT_AGENTS = re.compile(r"^(?:dependabot|renovate|github-actions|pre-commit-ci)(?:\[bot\])?$", re.IGNORECASE)


@dataclass(frozen=True)
class Identity:
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


def agent_evidence(message: str) -> str:
    """The first trailer of a commit message that says an agent wrote it ("" when none does)."""
    match = AGENT_TRAILERS.search(message)
    if match:
        return message[match.start():].splitlines()[0].strip()
    for co in BOT_COAUTHOR.finditer(message):
        who = co.group("who").strip()
        if AGENT_NAMES.search(who) and not NOT_AGENTS.match(who.split("<")[0].strip()):
            return co.group(0).strip()
    return ""


def actor_type_of(message: str) -> str | None:
    """``agent`` when a commit message's trailers say an agent wrote it."""
    return "agent" if agent_evidence(message) else None


def is_agent_name(name: str | None) -> bool:
    """Whether an account name or address is a known coding agent or an AI bot account."""
    if not name:
        return False
    return bool(AGENT_ACCOUNTS.search(name)) and not NOT_AGENTS.match(name.split("@")[0])


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
