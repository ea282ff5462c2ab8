"""``execgate ipython install|uninstall [--profile P]``: guard every kernel of an IPython profile."""
from __future__ import annotations

import click

from ..gates.ipython.install import InstallError, install, uninstall


@click.group()
def ipython() -> None:
    """Guard IPython and Jupyter kernels (%load_ext analyzer for every kernel of a profile)."""


@ipython.command("install")
@click.option("--profile", default="default", show_default=True, help="IPython profile to guard.")
def install_command(profile: str) -> None:
    """Load the execgate guard in every kernel of the profile (a startup file)."""
    try:
        path, changed = install(profile)
    except InstallError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"execgate: {'installed' if changed else 'already installed'}: {path}")


@ipython.command("uninstall")
@click.option("--profile", default="default", show_default=True, help="IPython profile.")
def uninstall_command(profile: str) -> None:
    """Remove the startup file that loads the execgate guard."""
    try:
        path, removed = uninstall(profile)
    except InstallError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"execgate: {'removed' if removed else 'not installed'}: {path}")
