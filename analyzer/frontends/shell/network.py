"""Commands that carry data off the machine: curl/wget bodies, scp/rsync, sockets, cloud copies.

Every data-carrying request is reported as exfiltration with ``details``
host=<host> so the policy can allow the hosts in ``allowed_hosts``; it is
``shell.exfil-secret`` when what is sent is a credential file, a secret
variable, the environment or a database dump (directly or through a pipe).
Plain downloads are only recorded as host touches.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .args import ParsedArgs, parse_args, subcommand_rest
from .flow import argv_of, secret_of_argv, secret_of_words, unwrap
from .knowledge import Entry, Knowledge, glob_any
from .reentry import run_string
from .state import CommandContext, Unit
from .words import Word

if TYPE_CHECKING:  # pragma: no cover - typing only
    from tree_sitter import Node

_SCP_REMOTE = re.compile(r"^(?:[^@/:\s]+@)?(\[[^\]]+\]|[^@/:\s]+):")


def host_of(know: Knowledge, text: str) -> str:
    """The host of a URL, ``user@host:path`` or bare ``host[:port]``; the text itself when unclear.
    A storage URL (``s3://bucket/key``) names its bucket with the scheme."""
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme in know.list("storage_schemes"):
            return f"{parts.scheme}://{parts.netloc}"
        return parts.hostname or text
    match = _SCP_REMOTE.match(text)
    if match:
        return match.group(1).strip("[]")
    head = text.split("/", 1)[0]
    return (head.rsplit("@", 1)[-1].split(":", 1)[0]) or text


def network(unit: Unit, program: str, rest: list[Word], ctx: CommandContext) -> None:
    spec = unit.know.lookup("network", program)
    if spec is None:
        return
    handler = _KINDS.get(str(spec.get("kind")))
    if handler is not None:
        handler(unit, program, spec, rest, ctx)


def _send(unit: Unit, ctx: CommandContext, program: str, host: str, secret: str | None, what: str = "data") -> None:
    if secret:
        unit.report("shell.exfil-secret", ctx, [host], verb="send",
                    details={"host": host, "sink": program, "source": secret}, command=program)
    else:
        unit.report("shell.exfil-upload", ctx, [host], verb="send",
                    details={"host": host, "sink": program, "source": what}, command=program)


def _stdin_secret(ctx: CommandContext) -> str | None:
    return ctx.stdin.secret if ctx.stdin is not None else None


# -- http ---------------------------------------------------------------------------------


def _http(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    args = parse_args(rest, spec.get("options_with_arg", []))
    urls = [w.shown for flag in spec.get("url_flags", []) for w in args.flag_words.get(flag, [])]
    urls += [w.shown for w in args.operands]
    host = host_of(unit.know, urls[0]) if urls else "an unknown host"
    methods = [w.value for flag in spec.get("method_flags", []) for w in args.flag_words.get(flag, [])]
    if any(m is not None and m.upper() in spec.get("delete_methods", []) for m in methods):
        unit.report("shell.http-delete", ctx, [urls[0] if urls else "?"], verb="delete",
                    details={"host": host}, command=program)
    data = [w for flag in spec.get("data_flags", []) for w in args.flag_words.get(flag, [])]
    if not data:
        for url in urls:
            unit.add_touch("host", host_of(unit.know, url), "read", ctx.node)
        return
    secret = _data_secret(unit, spec, args, data, ctx)
    _send(unit, ctx, program, host, secret, what=", ".join(w.shown for w in data)[:80])


def _data_secret(unit: Unit, spec: Entry, args: ParsedArgs, data: list[Word], ctx: CommandContext) -> str | None:
    """What a request body is made of, when secret: a credential file, a secret variable, stdin."""
    files = []
    prefixes = "".join(spec.get("file_prefixes", []))
    named = re.compile("[" + re.escape(prefixes) + "]([^;,]+)") if prefixes else None  # `-F f=@path;type=x`
    file_words = [w for f in spec.get("file_data_flags", []) for w in args.flag_words.get(f, [])]
    for word in data:
        text = word.shown
        if named is not None:
            files.extend(named.findall(text))
        if word in file_words:
            files.append(text)
    if any(f.strip() in ("-", "/dev/stdin") for f in files) and _stdin_secret(ctx):
        return _stdin_secret(ctx)
    for path in files:
        if unit.know.is_credential_path(path.strip()):
            return f"the credential file {path.strip()}"
    return secret_of_words(unit, data)


def _httpie(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    args = parse_args(rest, spec.get("options_with_arg", []))
    operands = [w for w in args.operands if not re.fullmatch(r"[A-Z]+", w.shown)]
    if not operands:
        return
    host = host_of(unit.know, operands[0].shown)
    items = [w for w in operands[1:] if re.search(r"(?<!:)=|@", w.shown) and ":" not in w.shown.split("=", 1)[0]]
    if items or (ctx.stdin is not None and ctx.stdin.producer != "here-string"):
        _send(unit, ctx, program, host, secret_of_words(unit, items) or _stdin_secret(ctx))
    else:
        unit.add_touch("host", host, "read", ctx.node)


# -- copies, sessions, sockets ------------------------------------------------------------------


def _copy(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    args = parse_args(rest, spec.get("options_with_arg", []))
    operands = args.operands
    if len(operands) < 2:
        return
    dest, sources = operands[-1], operands[:-1]
    if not _is_remote_path(dest.shown) or all(_is_remote_path(s.shown) for s in sources):
        for word in sources:
            if _is_remote_path(word.shown):
                unit.add_touch("host", host_of(unit.know, word.shown), "read", ctx.node)
        return
    _send(unit, ctx, program, host_of(unit.know, dest.shown), secret_of_words(unit, sources),
          what=", ".join(s.shown for s in sources))


def _is_remote_path(text: str) -> bool:
    """``host:path``, ``user@host:path`` or a URL (``rsync://host/x``); a local path may hold a colon."""
    return bool(_SCP_REMOTE.match(text)) and not text.startswith(("/", "./", "~/"))


def _session(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    args = parse_args(rest, spec.get("options_with_arg", []) + spec.get("batch_flags", []))
    if not args.operands:
        return
    stdin = ctx.stdin
    sending = "|".join(re.escape(str(c)) for c in spec.get("upload_commands", []))
    uploads = args.has(spec.get("batch_flags", [])) or (stdin is not None and (
        stdin.constant is None or bool(sending) and re.search(r"(?m)^\s*(?:" + sending + r")\b", stdin.constant)))
    if uploads:
        _send(unit, ctx, program, host_of(unit.know, args.operands[0].shown), _stdin_secret(ctx))


def _stream(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    args = parse_args(rest, spec.get("options_with_arg", []))
    if args.has(spec.get("listen_flags", [])) or args.has(spec.get("scan_flags", [])) or not args.operands:
        return
    host = host_of(unit.know, args.operands[0].shown)
    if args.has(spec.get("exec_flags", [])):
        _send(unit, ctx, program, host, "a shell (reverse shell)")
    elif ctx.stdin is not None:
        _send(unit, ctx, program, host, _stdin_secret(ctx), what=ctx.stdin.producer)


def _socat(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    addresses = [w.shown for w in rest if not w.shown.startswith("-") or w.shown == "-"]
    kinds = "|".join(re.escape(str(k)) for k in spec.get("remote_address_types", []))
    remote = [a for a in addresses if kinds and re.match(r"(?i)(?:" + kinds + r")[46]?(-connect)?:", a)]
    local = [a for a in addresses if a not in remote]
    if remote and local:
        host = remote[0].split(":", 2)[1] if remote[0].count(":") >= 1 else remote[0]
        secret = _stdin_secret(ctx) or next((f"the credential file {a.split(':', 1)[1]}" for a in local
                                             if ":" in a and unit.know.is_credential_path(a.split(":", 1)[1])), None)
        _send(unit, ctx, program, host, secret)


def _remote_shell(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    """``ssh host 'cmd'`` runs cmd there (analysed as shell); piped input is sent to the host."""
    args = parse_args(rest, spec.get("options_with_arg", []))
    if not args.operands:
        return
    host = host_of(unit.know, args.operands[0].shown)
    remote = args.operands[1:]
    if remote:
        joined = " ".join(w.shown for w in remote)
        value = joined if all(w.known for w in remote) else None
        run_string(unit, program, Word(value, joined, remote[0].node, quoted=remote[0].quoted), ctx)
    if ctx.stdin is not None and ctx.stdin.constant is None:
        _send(unit, ctx, program, host, _stdin_secret(ctx), what=ctx.stdin.producer)
    elif ctx.stdin is not None and not remote:
        unit.embedded("shell", ctx.stdin.constant or "", ctx.stdin.origin or unit.node_location(ctx.node), hint=program)


def _remote_module(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    """``ansible hosts -m shell -a 'cmd'``: the argument of a shell-running module runs on every host."""
    args = parse_args(rest, spec.get("options_with_arg", []))
    modules = [w.value for flag in spec.get("module_flags", []) for w in args.flag_words.get(flag, [])]
    if not any(m in spec.get("shell_modules", ()) for m in modules):
        return
    for flag in spec.get("argument_flags", []):
        for word in args.flag_words.get(flag, []):
            run_string(unit, program, word, ctx)


def _cloud_copy(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    args = parse_args(rest, spec.get("options_with_arg", []))
    for path in spec.get("subcommands", []):
        operands = subcommand_rest({"subcommand": path}, args)
        if operands is None or len(operands) < 2:
            continue
        dest, sources = operands[-1], operands[:-1]
        remote = [str(p) for p in spec.get("remote", [])]
        if glob_any(dest.shown, remote) and not all(glob_any(s.shown, remote) for s in sources):
            secret = secret_of_words(unit, sources)
            if any(s.shown == "-" for s in sources):
                secret = secret or _stdin_secret(ctx)
            _send(unit, ctx, program, host_of(unit.know, dest.shown), secret, what=", ".join(s.shown for s in sources))
            unit.add_touch("bucket", host_of(unit.know, dest.shown), "write", ctx.node)
        return


def redirect_exfil(unit: Unit, redirect: Node, node: Node, target: Word) -> bool:
    """``cmd > /dev/tcp/host/port``: bash opens a socket and the command's output goes there."""
    match = re.match(r"^/dev/(tcp|udp)/([^/]+)/", target.shown)
    if not match:
        return False
    secret = secret_of_argv(unit, unwrap(unit, argv_of(unit, node))) if node.type == "command" else None
    _send(unit, CommandContext(node, [redirect]), "/dev/" + match.group(1), match.group(2), secret)
    return True


Handler = Callable[[Unit, str, Entry, list[Word], CommandContext], None]
_KINDS: dict[str, Handler] = {
    "http": _http, "httpie": _httpie, "copy": _copy, "session": _session, "stream": _stream, "socat": _socat,
    "remote_shell": _remote_shell, "remote_module": _remote_module, "cloud_copy": _cloud_copy}
