"""What the command handlers share: the values describing one command, and the unit they report to.

The script being analysed (:class:`Unit`, implemented in script.py) walks the tree and
dispatches every simple command to the handler modules (commands.py, embed.py, network.py,
functions.py, reentry.py). A handler that meets code to run again (the command under
``sudo``, the list ``xargs`` feeds, a function body, an ``eval`` string) calls back through
this interface; handlers never import the dispatcher or each other to recurse.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeAlias

from ...model import Analysis, Location
from ...records import Record, replace

if TYPE_CHECKING:  # pragma: no cover - typing only
    from tree_sitter import Node

    from .. import Options
    from .knowledge import Knowledge
    from .words import Scope, Word, WordResolver

# A script file the script (or an earlier notebook cell) wrote: its text (None when computed),
# where that text starts, and what wrote it (shown when the text is unknown).
Written: TypeAlias = tuple[str | None, Location, str]


class Secret(Record, frozen=True):
    """A secret a word holds or a command prints: a secret-looking variable, a credential file,
    the environment, a database dump."""

    description: str                      # for messages: "the secret $GITHUB_TOKEN", "the environment"
    variable: str | None = None           # the secret-looking variable whose value it is
    spelt: str | None = None              # how the word that holds it spells it (None: the whole word)


class Stdin(Record, frozen=True):
    """Where a command's standard input comes from, as far as the script shows."""

    producer: str                         # program or redirection feeding it
    secret: str | None = None             # description of a secret/dump source upstream
    secrets: tuple[Secret, ...] = ()      # every secret upstream (secret describes the first)
    constant: str | None = None           # the text, when it is a constant
    origin: Location | None = None        # where that constant text starts
    # its lines are not the script's (`printf 'a\nb'` decoded): what it does is reported at the command
    pinned: bool = False
    downloader: str | None = None         # curl/wget directly upstream
    file: str | None = None               # `< file`


class CommandContext(Record):
    """One simple command being analysed: its node, redirections and input."""

    node: Node
    redirects: list[Node]
    stdin: Stdin | None = None
    fed_by: str | None = None             # "xargs" / "find" when operands come from a list
    wrappers: tuple[str, ...] = ()        # the wrappers peeled so far (sudo, env, time ...)
    placeholder: str | None = None        # xargs -I's replacement string, standing for unknown input lines

    def but(self, *, fed_by: str | None = None, wrapper: str | None = None,
            placeholder: str | None = None) -> CommandContext:
        """The same command as seen by what it runs: fed a list, or under one more wrapper."""
        return replace(self, fed_by=fed_by or self.fed_by, placeholder=placeholder or self.placeholder,
                                   wrappers=self.wrappers + (wrapper,) if wrapper else self.wrappers)


class Unit(Protocol):
    """One shell text being analysed, as a handler sees it: its state, where findings go, and
    the ways back into the analysis."""

    know: Knowledge
    scope: Scope                          # variables and aliases (shared with code run by eval)
    words: WordResolver
    analysis: Analysis                    # what was found so far (swapped while a function body runs)
    pipes: dict[int, list[Node]]          # command node id -> earlier pipeline stages
    consumed: set[int]                    # secret sources already reported as exfil-secret
    written: dict[str, Written]           # path -> script file written so far
    secret_files: dict[str, str]          # path -> the secret the script wrote into it (env > f)
    origin: Location                      # where the script's text starts (its file)
    options: Options

    def location(self, row: int, byte_col: int) -> Location: ...

    def node_location(self, node: Node) -> Location: ...

    def raw(self, node: Node) -> str: ...

    def evidence(self, node: Node) -> str: ...

    def report(self, rule_id: str, ctx: CommandContext, targets: list[str], verb: str = "",
               severity: str | None = None, scratch: bool = False, details: dict[str, object] | None = None,
               **fields: object) -> None:
        """An operation of ``rule_id`` at the command; ``fields`` fill the rule's message."""

    def add_touch(self, kind: str, target: str, access: str, node: Node) -> None: ...

    def visit(self, node: Node) -> None:
        """Walk a subtree of this script (a function body, a definition)."""

    def dispatch(self, argv: list[Word], ctx: CommandContext) -> None:
        """Match a resolved command line: the command under a wrapper, the one xargs runs ..."""

    def defer(self, text: str, origin: Location) -> None:
        """Code that runs when the script exits (a trap handler), analysed at its end."""

    def same_shell(self, text: str, origin: Location, at: Location | None = None, built: bool = False) -> None:
        """Code this same shell runs (eval, trap, an alias, ``. file``), with this script's variables;
        ``built``: text assembled with unknown parts, whose syntax errors are not the script's."""

    def embedded(self, language: str, text: str, origin: Location, hint: str | None = None,
                 at: Location | None = None) -> None:
        """Code handed to another interpreter (or a new shell), analysed by its front end."""

    def take_variables(self, text: str, origin: Location) -> None:
        """The variables and functions a sourced file sets hold in this shell from here on (what
        it does is analysed where it is sourced, not again)."""
