"""What several commands share: the options, as data, and one way to fail and to warn.

The options a one-shot call can carry (``hook AGENT``, ``check --stdin``) are written once, in
:data:`OPTIONS`: the click decorators below build them from it, and the lean parser
(:mod:`analyzer.commands.oneshot`), which runs without importing click, reads the same table.
click is imported only when a decorator is built or a message is echoed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from ..records import Record

FORMATS = ("text", "json", "sarif", "github")
LANGUAGES = ("python", "sql", "shell", "notebook")

F = TypeVar("F", bound=Callable[..., object])


class Spec(Record, frozen=True):
    """One option: its names, the parameter it fills, and its kind.

    ``kind`` is ``text`` (takes a value), ``path`` (a value naming a file, not a folder),
    ``choice`` (one of ``choices``), ``flag`` (present or not: True/False), ``tristate`` (a flag
    that is None when absent) or ``switch`` (``--x/--no-x``: True, False or None)."""

    names: tuple[str, ...]
    dest: str
    kind: str = "text"
    help: str | None = None
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    default: Any = None
    show_default: bool = False


OPTIONS: dict[str, Spec] = {spec.names[0]: spec for spec in (
    Spec(("--policy",), "policy_path", "path",
         "Policy file (default: .execgate.yaml found upward, else built-in)."),
    Spec(("--env",), "environment", help="Environment (also EXECGATE_ENV)."),
    Spec(("--role",), "role", help="Role of whoever acts (also EXECGATE_ROLE)."),
    Spec(("--actor-type",), "actor_type", metavar="TYPE",
         help="What acts, e.g. human or agent (also EXECGATE_ACTOR_TYPE); evidence of an agent (commit trailers, "
              "the CI actor, the agent hook) wins over it."),
    Spec(("--actor",), "actor", help="Who acts (also EXECGATE_ACTOR)."),
    Spec(("--audit-log",), "audit_log", "path", "Append every decision to this log."),
    Spec(("--shadow",), "shadow", "tristate",
         "Decide and record everything, block nothing; say what would have been blocked (also "
         "EXECGATE_SHADOW=1, policy mode: shadow)."),
    Spec(("--audit-sink",), "audit_sink", metavar="URL",
         help="Append every decision to this shared log: postgresql://... (also EXECGATE_AUDIT_SINK, policy "
              "audit.sink)."),
    Spec(("--audit-key",), "audit_key", metavar="FILE",
         help="Sign every audit record with this Ed25519 key (also EXECGATE_AUDIT_KEY, policy audit.key; "
              "`execgate audit keygen` makes one)."),
    Spec(("--json",), "as_json", "flag",
         "Answer with a hookSpecificOutput JSON object (deny/ask) instead of exit code 2."),
    Spec(("--stdin",), "from_stdin", "flag", "Read one snippet from standard input."),
    Spec(("--lang",), "language", "choice", "Language of --stdin input.", choices=LANGUAGES),
    Spec(("--format",), "output_format", "choice", choices=FORMATS, default="text", show_default=True),
    Spec(("--dialect",), "dialect", help="SQL dialect (default: policy sql.dialect, else inferred)."),
    Spec(("--gate",), "gate", default="cli", help="Name of the gate for the audit log."),
    Spec(("--no-cache",), "no_cache", "flag", "Do not read or write the result cache."),
    Spec(("--no-prefilter",), "no_prefilter", "flag", "Fully parse every file, even without trigger words."),
    Spec(("--show-allowed",), "show_allowed", "flag", "List allowed findings in the text report too."),
    Spec(("--color", "--no-color"), "color", "switch", "Colour the text report (default: when a terminal)."),
)}

# Which options each one-shot command takes, in the order its --help lists them.
CONTEXT = ("--actor", "--actor-type", "--role", "--env", "--policy")
AUDIT = ("--audit-key", "--audit-sink", "--shadow")
HOOK_OPTIONS = (*CONTEXT, "--audit-log")
CLAUDE_CODE_OPTIONS = (*HOOK_OPTIONS, "--json")
# check's options that a one-shot ``check --stdin`` may carry (--output, --baseline and --jobs go to click).
CHECK_STDIN_OPTIONS = ("--stdin", "--lang", *CONTEXT, "--format", "--dialect", "--audit-log", *AUDIT, "--gate",
                       "--no-cache", "--no-prefilter", "--show-allowed", "--color")
HIDDEN = ("--gate",)


def hook_options(agent: str) -> tuple[str, ...]:
    """The options of ``hook AGENT``, in the order its --help lists them."""
    return CLAUDE_CODE_OPTIONS if agent == "claude-code" else HOOK_OPTIONS


def option(name: str) -> Callable[[F], F]:
    """The click decorator for the option ``name`` of :data:`OPTIONS`."""
    import click

    spec = OPTIONS[name]
    extra: dict[str, Any] = {}
    if spec.kind == "path":
        extra["type"] = click.Path(dir_okay=False)
    elif spec.kind == "choice":
        extra["type"] = click.Choice(spec.choices)
    elif spec.kind == "flag":
        extra["is_flag"] = True
    elif spec.kind == "tristate":
        extra.update(is_flag=True, default=None)
    if spec.kind in ("text", "path", "choice", "switch") and (spec.default is not None or spec.kind == "switch"):
        extra["default"] = spec.default
    if spec.show_default:
        extra["show_default"] = True
    if spec.metavar:
        extra["metavar"] = spec.metavar
    if spec.help is not None:
        extra["help"] = spec.help
    if name in HIDDEN:
        extra["hidden"] = True
    declared = "/".join(spec.names) if spec.kind == "switch" else spec.names[0]
    # Declared with its parameter name, unless click derives the same name from the option's.
    params = (declared,) if declared.lstrip("-").replace("-", "_").split("/")[0] == spec.dest else (declared, spec.dest)
    return click.option(*params, **extra)


def _apply(function: F, names: Iterable[str]) -> F:
    for name in reversed(tuple(names)):   # the last decorator applied is listed first
        function = option(name)(function)
    return function


def context_options(function: F) -> F:
    """--env/--role/--actor/--actor-type (also EXECGATE_ENV/ROLE/ACTOR/ACTOR_TYPE) and --policy, shared by
    the gates."""
    return _apply(function, CONTEXT)


def audit_options(function: F) -> F:
    """--audit-key, --audit-sink and --shadow: signing the audit log, a shared log, the shadow roll-out."""
    return _apply(function, AUDIT)


def fail(message: str) -> int:
    """Say what is wrong in one line; the exit status of a usage, policy or input problem."""
    import click

    click.echo(f"execgate: {message}", err=True)
    return 2


def echo_warnings(warnings: Iterable[str]) -> None:
    import click

    for warning in warnings:
        click.echo(f"execgate: warning: {warning}", err=True)


def internal_error(exc: BaseException) -> str:
    """The one line an internal failure prints (the command then fails closed, exit 2)."""
    return f"execgate: internal error: {type(exc).__name__}: {exc} (set EXECGATE_DEBUG=1 for details)"
