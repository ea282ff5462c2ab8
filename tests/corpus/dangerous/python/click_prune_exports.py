"""prune-exports: remove export folders for tenants that churned.

Usage: python click_prune_exports.py --config exports.toml --tenant acme
"""
import tomllib
from pathlib import Path
from shutil import rmtree as _remove_tree

import click


def load_config(path: str) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@click.command()
@click.option("--config", "config_path", default="exports.toml", show_default=True)
@click.option("--tenant", required=True, help="tenant slug")
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
def prune(config_path: str, tenant: str, yes: bool) -> None:
    cfg = load_config(config_path)
    export_root = Path(cfg["exports"]["root"]) / tenant
    if not export_root.exists():
        click.echo(f"nothing to do for {tenant}")
        return
    if not yes:
        click.confirm(f"Remove {export_root}?", abort=True)
    # expect: destructive
    _remove_tree(export_root)
    click.secho(f"removed {export_root}", fg="green")


if __name__ == "__main__":
    prune()
