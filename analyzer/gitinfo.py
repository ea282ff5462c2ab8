"""What git says about who is committing: the author, and trailers that mark agent-written commits."""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

AGENT_TRAILERS = re.compile(r"^(?:Generated-by|X-Agent|Agent)\s*:", re.IGNORECASE | re.MULTILINE)
BOT_COAUTHOR = re.compile(r"^Co-authored-by\s*:.*(?:\[bot\]|\bbot\b|claude|copilot|devin|cursor|codex|"
                          r"aider|gpt|openai|anthropic|noreply@anthropic)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Identity:
    author: str | None
    actor_type: str | None


def _git(*args: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def actor_type_of(message: str) -> str | None:
    """``agent`` when a commit message's trailers say an agent wrote it."""
    if AGENT_TRAILERS.search(message) or BOT_COAUTHOR.search(message):
        return "agent"
    return None


def commit_identity(message_file: str | None = None) -> Identity:
    """The author of the commit being made (pre-commit) or checked (CI: HEAD), and whether
    the commit message's trailers mark it as agent-written."""
    author = _git("var", "GIT_AUTHOR_IDENT")
    if author:
        author = re.sub(r"\s+\d+\s+[+-]\d{4}$", "", author)
        match = re.search(r"<([^>]*)>", author)
        author = match.group(1) if match and match.group(1) else author
    message = None
    if message_file:
        try:
            with open(message_file, encoding="utf-8", errors="replace") as handle:
                message = handle.read()
        except OSError:
            message = None
    if message is None:
        message = _git("log", "-1", "--format=%B") or ""
    return Identity(author=author, actor_type=actor_type_of(message))
