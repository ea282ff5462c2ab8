"""Where the data of a request travels: the ``carrier`` and ``credential`` details of a send.

A request carries data in several places: its authentication (an ``Authorization`` header,
``auth=``, ``HTTPBasicAuth``), other headers, the query string, the host or path of the URL,
the body and uploaded files. The policy needs to know which: a credential in the
authentication of a request to its own service is how that service is used, the same
credential in a body or a query string leaves. Which keywords, header names and helpers
mean what is data in rules/python.yaml (the ``carriers`` of the ``py.exfil-request`` sink);
this module only reads values with it.
"""
from __future__ import annotations

from typing import Any

from ..secretnames import secret_names
from .values import HOLE_PATTERN, Holes, Value, merge_taint

ENV_SOURCE = "environment secret"   # the catalogue's name of the environment as a source
ENV_VALUE = "environment value"     # a variable whose name is not a secret's: configuration, not a source
# Who and where the machine is (hostname, user, cwd): a source only where it makes a DNS name.
IDENTITY_SOURCE = "machine identity"

Places = dict[str, frozenset]       # carrier (auth, header, query, url, body, file) -> labels of its data


def is_source(label: str) -> bool:
    """Whether a taint label names data from a source (an environment value is configuration,
    the machine's identity counts only in DNS names)."""
    return not label.startswith(ENV_VALUE) and label != IDENTITY_SOURCE


def sources_of(taint: frozenset) -> frozenset:
    return frozenset(label for label in taint if is_source(label))


def credentials(taint: frozenset) -> list[str]:
    """The names of the secret environment variables among a send's sources."""
    return sorted({label[len(ENV_SOURCE) + 1:] for label in taint if is_credential(label)})


def is_credential(label: str) -> bool:
    """A secret environment variable read by its name (the ``credential`` detail names it)."""
    prefix = ENV_SOURCE + " "
    return label.startswith(prefix) and "{" not in label[len(prefix):]


def is_constant(value: Value, holes: Holes) -> bool:
    """Nothing but constants, environment configuration and named secrets of the environment
    (which ``credential`` names) is in ``value``: no data from elsewhere, nothing unknown."""
    if value.members and not value.elements and not value.known:
        return False   # an object of unknown content with some members set (msg["To"] = ...)
    if value.elements or value.members:
        return all(is_constant(e, holes) for e in value.elements) and \
            all(is_constant(m, holes) for _, m in value.members)
    if value.known and value.partial and isinstance(value.const, str):
        return all(_configuration(holes.taint.get(hole, frozenset())) for hole in HOLE_PATTERN.findall(value.const))
    if value.known:
        return not value.taint or _configuration(value.taint)
    return _configuration(value.taint)


def _configuration(taint: frozenset) -> bool:
    return bool(taint) and all(not is_source(label) or is_credential(label) for label in taint)


def add(places: Places, place: str, taint: frozenset) -> None:
    """Record that data with ``taint`` travels in ``place`` (a place with no taint is still recorded)."""
    places[place] = places.get(place, frozenset()) | taint


def merge(places: Places, more: Places) -> None:
    for place, taint in more.items():
        add(places, place, taint)


def taint_of(value: Value) -> frozenset:
    return value.taint | merge_taint(value.elements)


def is_auth_helper(value: Value, spec: dict[str, Any]) -> bool:
    """The result of an authentication helper (``HTTPBasicAuth(user, token)``), wherever it is passed."""
    name = value.qname or ""
    return name.endswith("()") and name[:-2] in spec.get("auth_helpers", ())


def is_auth_header(name: str) -> bool:
    """A header that carries credentials (rules/secrets.yaml `auth_headers`)."""
    return secret_names().is_auth_header(name)


def keyword_places(keyword: str, value: Value, spec: dict[str, Any]) -> Places:
    """Where the value of one keyword of a request travels: a header mapping is read header by
    header (an authentication header is ``auth``); what cannot be told apart is a plain ``header``."""
    place = spec.get("keywords", {}).get(keyword, "body")
    if is_auth_helper(value, spec):
        return {"auth": taint_of(value)}
    if place != "header":
        return {place: taint_of(value)}
    places: Places = {}
    named: frozenset = frozenset()
    for name, member in value.members:
        taint = taint_of(member)
        named = named | taint
        auth = (isinstance(name, str) and is_auth_header(name)) or is_auth_helper(member, spec)
        add(places, "auth" if auth else "header", taint)
    rest = taint_of(value) - named
    if rest or not places:
        add(places, "header", rest)
    return places


def url_places(text: str, taint: frozenset, holes: Holes) -> Places:
    """Where data built into a URL travels: ``query`` after the ``?``, ``url`` in the host or path.
    Each hole remembers its own data; data no hole claims is placed by where the holes are."""
    query = text.find("?")
    places: Places = {}
    claimed: frozenset = frozenset()
    unclaimed: set[str] = set()
    for match in HOLE_PATTERN.finditer(text):
        place = "query" if 0 <= query < match.start() else "url"
        hole_taint = holes.taint.get(match.group(0))
        if hole_taint:
            add(places, place, hole_taint)
            claimed = claimed | hole_taint
        else:
            unclaimed.add(place)
    rest = taint - claimed
    if rest:
        for place in sorted(unclaimed) or ["query" if query >= 0 else "url"]:
            add(places, place, rest)
    return places
