"""Hosts: where data may go, read the way every HTTP client reads a URL.

``allowed_hosts`` entries are globs with an optional scheme and port. A URL is
parsed once (userinfo, IDNA, trailing dots, default ports); one that clients
could read two ways is never allowed. IP literals and cloud metadata endpoints
(listed in ``rules/hosts.yaml``) match only an exact entry, never a glob.
Loopback hosts (``loopback:`` of ``rules/hosts.yaml``) are this machine; the
service each credential belongs to is ``credential_hosts:`` of ``rules/secrets.yaml``.
"""
from __future__ import annotations

import fnmatch
import functools
import re

# socket.inet_aton is this function; the socket module around it costs more than every decision.
from _socket import inet_aton
from collections.abc import Collection
from typing import TYPE_CHECKING

from ..records import Record

if TYPE_CHECKING:   # ipaddress and urllib are imported when a host is first read
    import ipaddress
    from typing import TypeAlias

    IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address
    IPNetwork: TypeAlias = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21, "sftp": 22, "ssh": 22,
                 "smtp": 25, "smtps": 465}

_HOST_CHARS = r"^[a-z0-9._*?\[\]!:-]+$"   # compiled by re on first use


class HostRef(Record, frozen=True):
    """A URL or ``host[:port]`` as every HTTP client reads it."""

    scheme: str | None
    host: str
    port: int | None


@functools.cache
def metadata_hosts(directory: str | None = None) -> frozenset[str]:
    """Cloud metadata endpoints (``metadata:`` of ``rules/hosts.yaml``, or of the catalogue in
    ``directory``). Read on first use from the catalogue, which the engine has loaded already."""
    from ..catalogue import load_catalogue

    return frozenset(load_catalogue(directory).section("hosts").get("metadata", ()))


@functools.cache
def loopback_entries(directory: str | None = None) -> tuple[frozenset[str], tuple[IPNetwork, ...]]:
    """Loopback names and networks (``loopback:`` of ``rules/hosts.yaml``)."""
    import ipaddress

    from ..catalogue import load_catalogue

    names: set[str] = set()
    networks: list[IPNetwork] = []
    for entry in load_catalogue(directory).section("hosts").get("loopback", ()):
        try:
            networks.append(ipaddress.ip_network(str(entry), strict=False))
        except ValueError:
            names.add(str(entry).lower())
    return frozenset(names), tuple(networks)


def is_loopback(host_or_url: str, directory: str | None = None) -> bool:
    """Whether ``host_or_url`` names this machine: a loopback name, or an address in a loopback
    network in any spelling a resolver accepts (``127.1``, ``2130706433``, ``::ffff:127.0.0.1``).
    A URL clients could read two ways never is."""
    target = parse_host(host_or_url)
    if target is None:
        return False
    names, networks = loopback_entries(directory)
    if target.host in names:
        return True
    address = ip_of(target.host)
    return address is not None and any(address.version == n.version and address in n for n in networks)


def ip_of(host: str) -> IPAddress | None:
    """The address an IP literal means (IPv4-mapped IPv6 as its IPv4 address), else None."""
    import ipaddress

    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        try:
            return ipaddress.IPv4Address(inet_aton(host))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@functools.cache
def credential_services(directory: str | None = None) -> dict[str, tuple[str, ...]]:
    """Credential name (upper case) -> host globs of its own service (``credential_hosts:`` of
    ``rules/secrets.yaml``)."""
    from ..catalogue import load_catalogue

    services: dict[str, tuple[str, ...]] = {}
    for entry in load_catalogue(directory).section("secrets").get("credential_hosts", ()):
        hosts = tuple(str(h) for h in entry.get("hosts", ()))
        for name in entry.get("names", ()):
            services[str(name).upper()] = services.get(str(name).upper(), ()) + hosts
    return services


def known_credential(credential: str, directory: str | None = None) -> bool:
    """Whether rules/secrets.yaml names the service ``credential`` belongs to."""
    return credential.strip().upper() in credential_services(directory)


def own_service(credential: str, host_or_url: str, directory: str | None = None) -> bool:
    """Whether ``host_or_url`` is a host of the service ``credential`` belongs to."""
    hosts = credential_services(directory).get(credential.strip().upper(), ())
    return bool(hosts) and host_allowed(host_or_url, list(hosts))


@functools.lru_cache(maxsize=4096)
def parse_host(value: str) -> HostRef | None:
    """(scheme, host, port) of a URL or a bare ``host[:port]``; None when it cannot be read
    the way every HTTP client would read it (backslashes, percent-escapes, bad ports, spaces).
    Cached: :func:`host_allowed` reads every allowed_hosts entry again for each decision."""
    value = value.strip()
    if not value or any(c in value for c in "\\%\t\r\n ") or any(ord(c) < 32 for c in value):
        return None
    if "://" not in value:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:/", value):
            return None
        value = "//" + value
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:   # a bracketed host that is no IP literal (host[.]example.com), a bad port
        return None
    scheme = parts.scheme.lower() or None
    host = parts.hostname or ""
    if host.endswith("."):
        host = host[:-1]   # one trailing dot is the same host (fully qualified)
    if not host or ".." in host or host.endswith(".") or host.startswith("."):
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    host = host.lower()
    if not re.match(_HOST_CHARS, host):
        return None
    if port is None and scheme in DEFAULT_PORTS:
        port = DEFAULT_PORTS[scheme]
    return HostRef(scheme, host, port)


def is_ip_or_metadata(host: str, metadata: Collection[str] | None = None) -> bool:
    """IP literals in any spelling a resolver accepts (``127.1``, ``2130706433``, ``0x7f.1``,
    IPv6) and cloud metadata names (``metadata``, default :func:`metadata_hosts`): only an
    exact allowed_hosts entry lets data go there."""
    if host in (metadata_hosts() if metadata is None else metadata):
        return True
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    try:
        inet_aton(host)
        return True
    except OSError:
        return False


def host_allowed(url: str, allowed: list[str], metadata: Collection[str] | None = None) -> bool:
    """Whether data may go to ``url`` (or a bare host): globs, optional scheme and port.

    ``http://allowed.com@evil.com`` goes to evil.com; ``allowed.com.evil.com`` is not
    ``allowed.com``; case, trailing dots and IDNA are normalised; IP literals and cloud
    metadata endpoints match only an exact entry, never a glob."""
    target = parse_host(url)
    if target is None:
        return False
    exact_only = is_ip_or_metadata(target.host, metadata)
    for entry in allowed:
        rule = parse_host(entry)
        if rule is None:
            continue
        if rule.scheme and rule.scheme != target.scheme:
            continue
        if rule.port is not None and rule.port != target.port:
            continue
        if exact_only:
            if rule.host == target.host or rule.host.strip("[]") == target.host.strip("[]"):
                return True
        elif fnmatch.fnmatchcase(target.host, rule.host):
            return True
    return False
