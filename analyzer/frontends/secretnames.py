"""Which names hold secrets, shared by every front end: environment variables, request headers and
credential files, all from rules/secrets.yaml.

One reading of the ``secrets`` section, so that ``ETL_SIGNING_KEY`` is a secret (and
``PRIMARY_KEY`` is not), an ``X-Api-Key`` header is authentication and ``~/.pypirc`` a
credential file the same way in Python, shell and notebooks. Globs match the whole name;
variable and header names case-insensitively, paths as written.
"""
from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable

from ..catalogue import load_catalogue
from ..records import Record

_NEVER = re.compile(r"(?!)")


def compile_globs(globs: Iterable[object], ignore_case: bool = True) -> re.Pattern[str]:
    """One pattern for a list of globs (never matches when the list is empty)."""
    parts = [fnmatch.translate(str(glob)) for glob in globs]
    if not parts:
        return _NEVER
    return re.compile("|".join(parts), re.IGNORECASE if ignore_case else 0)


class SecretNames(Record, frozen=True):
    variables: re.Pattern[str] = _NEVER       # secret_variables
    not_variables: re.Pattern[str] = _NEVER   # not_secret_variables: configuration named like a key
    headers: re.Pattern[str] = _NEVER         # auth_headers
    paths: re.Pattern[str] = _NEVER           # credential_paths
    templates: re.Pattern[str] = _NEVER       # credential_templates: placeholders, public halves

    def is_secret_variable(self, name: str) -> bool:
        """``GITHUB_TOKEN``, ``STRIPE_KEY``: a secret; ``REGION``, ``CACHE_KEY``: configuration."""
        return self.variables.fullmatch(name) is not None and self.not_variables.fullmatch(name) is None

    def is_auth_header(self, name: str) -> bool:
        """A request header that carries credentials (``Authorization``, ``X-Api-Key``)."""
        return self.headers.fullmatch(name.strip()) is not None

    def is_credential_path(self, path: str) -> bool:
        """A file that holds credentials (``~/.aws/credentials``, ``.env``), not its template
        (``.env.example``) or a public key (``id_ed25519.pub``)."""
        return self.paths.fullmatch(path) is not None and self.templates.fullmatch(path) is None


def read_secret_names(section: dict) -> SecretNames:
    """The matchers of a catalogue's ``secrets`` section."""
    return SecretNames(
        variables=compile_globs(section.get("secret_variables") or ()),
        not_variables=compile_globs(section.get("not_secret_variables") or ()),
        headers=compile_globs(section.get("auth_headers") or ()),
        paths=compile_globs(section.get("credential_paths") or (), ignore_case=False),
        templates=compile_globs(section.get("credential_templates") or (), ignore_case=False),
    )


@functools.cache
def secret_names() -> SecretNames:
    """The built-in catalogue's secret names (rules/secrets.yaml)."""
    return read_secret_names(load_catalogue().section("secrets"))
