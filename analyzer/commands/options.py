"""What several commands share: the context options, and one way to fail and to warn."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

import click

FORMATS = ("text", "json", "sarif", "github")

F = TypeVar("F", bound=Callable[..., object])


def context_options(function: F) -> F:
    """--env/--role/--actor/--actor-type (also EXECGATE_ENV/ROLE/ACTOR/ACTOR_TYPE) and --policy, shared by
    the gates."""
    function = click.option("--policy", "policy_path", type=click.Path(dir_okay=False),
                            help="Policy file (default: .execgate.yaml found upward, else built-in).")(function)
    function = click.option("--env", "environment", help="Environment (also EXECGATE_ENV).")(function)
    function = click.option("--role", help="Role of whoever acts (also EXECGATE_ROLE).")(function)
    function = click.option("--actor-type", "actor_type", metavar="TYPE",
                            help="What acts, e.g. human or agent (also EXECGATE_ACTOR_TYPE); evidence of an "
                                 "agent (commit trailers, the CI actor, the agent hook) wins over it.")(function)
    function = click.option("--actor", help="Who acts (also EXECGATE_ACTOR).")(function)
    return function


def audit_options(function: F) -> F:
    """--audit-key, --audit-sink and --shadow: signing the audit log, a shared log, the shadow roll-out."""
    function = click.option("--shadow", is_flag=True, default=None,
                            help="Decide and record everything, block nothing; say what would have been "
                                 "blocked (also EXECGATE_SHADOW=1, policy mode: shadow).")(function)
    function = click.option("--audit-sink", metavar="URL",
                            help="Append every decision to this shared log: postgresql://... (also "
                                 "EXECGATE_AUDIT_SINK, policy audit.sink).")(function)
    function = click.option("--audit-key", metavar="FILE",
                            help="Sign every audit record with this Ed25519 key (also EXECGATE_AUDIT_KEY, "
                                 "policy audit.key; `execgate audit keygen` makes one).")(function)
    return function


def fail(message: str) -> int:
    """Say what is wrong in one line; the exit status of a usage, policy or input problem."""
    click.echo(f"execgate: {message}", err=True)
    return 2


def echo_warnings(warnings: Iterable[str]) -> None:
    for warning in warnings:
        click.echo(f"execgate: warning: {warning}", err=True)
