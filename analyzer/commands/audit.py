"""``execgate audit``: keys, verification, checkpoints and reports of the audit log.

LOG is a JSON Lines file or a ``postgresql://`` database (:mod:`analyzer.audit.sinks`).

Exit codes of ``verify`` (contract): 0 the log is intact, 1 it is not (the first bad
record is named), 2 the log, a key or a checkpoint is missing, unreadable or of the
wrong kind, or the public key is not the one the log is signed with (one line).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..audit.log import AuditError, AuditKeyError


@click.group()
def audit() -> None:
    """Sign, verify, anchor and summarise the audit log of gate decisions."""


def _problem(exc: AuditError) -> None:
    click.echo(f"execgate: {exc}", err=True)
    sys.exit(2)


@audit.command("keygen")
@click.option("--out", "folder", required=True, type=click.Path(file_okay=False),
              help="Folder for audit.key (private, mode 0600) and audit.pub.")
def keygen_command(folder: str) -> None:
    """Make an Ed25519 key pair for signing the audit log."""
    from ..audit.sign import generate

    try:
        key, public, kid = generate(folder)
    except AuditKeyError as exc:
        _problem(exc)
    click.echo(f"{key}: signing key (mode 0600): give it to the gates only (--audit-key, EXECGATE_AUDIT_KEY "
               "or a CI secret), never to the agents they guard")
    click.echo(f"{public}: public key, key id {kid}: for `execgate audit verify LOG --public-key {public}`")
    sys.exit(0)


def _keyring(public_keys: tuple[str, ...]):
    from ..audit.sign import load_keyring

    return load_keyring(public_keys) if public_keys else None


def _anchors(checkpoints: tuple[str, ...], expected_head: str | None, keys) -> tuple[list, list[str]]:
    from ..audit import checkpoint as cp
    from ..audit.log import Anchor

    anchors, notes = [], []
    if expected_head:
        anchors.append(Anchor(None, expected_head, f"head {expected_head}"))
    for name in checkpoints:
        for found in cp.load(name):
            anchors.append(cp.anchor(found, name, keys))
            notes.append(f"checkpoint {name}: {found.get('records')} records at {found.get('time')}, "
                         f"{cp.signed_note(found, keys)}")
    return anchors, notes


public_key_option = click.option("--public-key", "public_keys", multiple=True, metavar="FILE",
                                 help="audit.pub: every signed record must verify with it (repeat for a key "
                                      "that was replaced).")
checkpoint_option = click.option("--checkpoint", "checkpoints", multiple=True, metavar="FILE",
                                 help="A checkpoint (from `audit head`, a CI job summary or SARIF file): no "
                                      "record up to it may be missing or changed.")


@audit.command("verify")
@click.argument("log")
@public_key_option
@checkpoint_option
@click.option("--head", "expected_head", metavar="SHA256",
              help="A head hash noted earlier: the log must still contain it (catches records cut from the end).")
def verify_command(log: str, public_keys: tuple[str, ...], checkpoints: tuple[str, ...],
                   expected_head: str | None) -> None:
    """Check that no record of LOG was edited, removed, inserted or reordered (and, with --public-key,
    that nobody without the key rewrote it)."""
    from ..audit.sinks import redact, verify_log

    shown = redact(log)
    try:
        keys = _keyring(public_keys)
        anchors, notes = _anchors(checkpoints, expected_head, keys)
        result = verify_log(log, keys, anchors)
    except AuditError as exc:
        _problem(exc)
    if not result.ok:
        click.echo(f"{shown}: BROKEN: {result.problem}", err=True)
        click.echo(f"{shown}: {result.records} records verified before it", err=True)
        sys.exit(1)
    click.echo(f"{shown}: intact, {result.records} records, head {result.head}")
    click.echo(f"{shown}: {signature_text(result)}")
    for note in notes:
        click.echo(f"{shown}: {note}: holds")
    sys.exit(0)


def signature_text(result) -> str:
    """What the signatures of a verified log say, in one line."""
    if result.signatures_checked:
        if result.signed == 0:
            return "no records to check against the public key"
        text = f"{result.signed} signatures verify (key {', '.join(result.key_ids)})"
        if result.unsigned_prefix:
            text += (f"; the first {result.unsigned_prefix} records were written before signing began "
                     "(the first signed record vouches for them)")
        return text
    if result.signed:
        return f"{result.signed} records signed (key {', '.join(result.key_ids)}); signatures not checked: " \
               "give --public-key"
    return "not signed: anyone who can write the log can rewrite it and recompute the hashes (see docs/audit.md)"


@audit.command("head")
@click.argument("log")
@click.option("--audit-key", "key", metavar="FILE",
              help="Sign the checkpoint with this key (default: EXECGATE_AUDIT_KEY).")
@click.option("--output", type=click.Path(dir_okay=False), help="Write the checkpoint here instead of stdout.")
def head_command(log: str, key: str | None, output: str | None) -> None:
    """Print a signed checkpoint of LOG (records, last hash, time) to keep outside the log."""
    import os

    from ..audit import checkpoint as cp
    from ..audit.sign import ENV_KEY, load_signer
    from ..audit.sinks import redact, verify_log

    shown = redact(log)
    try:
        signer = None
        if key or os.environ.get(ENV_KEY):
            signer = load_signer(key or os.environ[ENV_KEY], "--audit-key" if key else ENV_KEY)
        # A checkpoint vouches for the log as it is: never make one of a broken (or re-signed) log.
        result = verify_log(log)
        if result.ok and result.signed and signer is not None:
            result = verify_log(log, signer.keyring())
    except AuditError as exc:
        _problem(exc)
    if not result.ok:
        click.echo(f"{shown}: BROKEN: {result.problem}; no checkpoint made", err=True)
        sys.exit(1)
    text = cp.text(cp.make(result.records, result.head or "", shown, signer)) + "\n"
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            click.echo(f"execgate: {output}: cannot write the checkpoint: {exc.strerror or exc}", err=True)
            sys.exit(2)
        click.echo(f"{output}: checkpoint of {shown}: {result.records} records, head {result.head}")
    else:
        click.echo(text, nl=False)
    if signer is None:
        click.echo("execgate: warning: the checkpoint is not signed (give --audit-key or EXECGATE_AUDIT_KEY)",
                   err=True)
    sys.exit(0)


@audit.command("report")
@click.argument("log")
@click.option("--format", "output_format", type=click.Choice(["markdown", "html"]), default="markdown",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report here instead of stdout.")
@click.option("--since", metavar="DATE", help="From this date or time on (UTC; e.g. 2025-01-01).")
@click.option("--until", metavar="DATE", help="Up to this date (the whole day) or time (UTC).")
@public_key_option
@checkpoint_option
def report_command(log: str, output_format: str, output: str | None, since: str | None, until: str | None,
                   public_keys: tuple[str, ...], checkpoints: tuple[str, ...]) -> None:
    """Summarise LOG for an audit: who or what was decided about, what was blocked or would have been,
    what was allowed by exception, which policy was in force, and whether the log is intact."""
    from ..audit.report import Period, render_html, render_markdown, summarise

    try:
        period = Period.parse(since, until)
    except ValueError as exc:
        click.echo(f"execgate: {exc}", err=True)
        sys.exit(2)
    try:
        keys = _keyring(public_keys)
        anchors, _ = _anchors(checkpoints, None, keys)
        summary = summarise(log, period=period, keys=keys, anchors=anchors)
    except AuditError as exc:
        _problem(exc)
    text = render_html(summary) if output_format == "html" else render_markdown(summary)
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            click.echo(f"execgate: {output}: cannot write the report: {exc.strerror or exc}", err=True)
            sys.exit(2)
    else:
        click.echo(text, nl=False)
    sys.exit(0)
