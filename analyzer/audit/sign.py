"""Signing the audit log: Ed25519 key pairs, record signatures, the keys that check them.

``execgate audit keygen --out DIR`` writes ``DIR/audit.key`` (the private key, PKCS#8 PEM,
mode 0600) and ``DIR/audit.pub`` (SubjectPublicKeyInfo PEM). A gate signs with the key
named by ``--audit-key FILE``, else ``EXECGATE_AUDIT_KEY`` (a file, or the PEM text itself
as a CI secret holds it), else the policy's ``audit.key``. A record's ``key_id`` is the
first 16 hex digits of the sha256 of the raw public key, so a verifier can tell which key
signed what. Every problem with a key is one line (:class:`AuditKeyError`), never a
traceback; nothing here prints.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .log import AuditKeyError, signed_bytes

KEY_FILE = "audit.key"
PUBLIC_FILE = "audit.pub"
ENV_KEY = "EXECGATE_AUDIT_KEY"
PEM_START = "-----BEGIN"


def key_id(public: Any) -> str:
    """The short name of a public key: sha256 of its 32 raw bytes, first 16 hex digits."""
    from cryptography.hazmat.primitives import serialization

    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class Signer:
    """Signs with one Ed25519 private key (see :class:`analyzer.audit.log.Sealer`)."""

    def __init__(self, private: Any, origin: str) -> None:
        self._private = private
        self.origin = origin
        self.public = private.public_key()
        self._key_id = key_id(self.public)

    @property
    def key_id(self) -> str:
        return self._key_id

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self._private.sign(message)).decode("ascii")

    def keyring(self) -> Keyring:
        """The public half, to check what this key signed."""
        return Keyring({self._key_id: self.public})


class Keyring:
    """Public keys by key id (see :class:`analyzer.audit.log.SignatureCheck`)."""

    def __init__(self, keys: Mapping[str, Any]) -> None:
        self._keys = dict(keys)

    def key_ids(self) -> frozenset[str]:
        return frozenset(self._keys)

    def valid(self, record: Mapping[str, Any]) -> bool:
        return self.valid_signature(record.get("key_id"), record.get("sig"), signed_bytes(record))

    def valid_signature(self, kid: object, signature: object, message: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature

        key = self._keys.get(kid) if isinstance(kid, str) else None
        if key is None or not isinstance(signature, str):
            return False
        try:
            key.verify(base64.b64decode(signature, validate=True), message)
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True


# -- key files -----------------------------------------------------------------------------------


def generate(folder: str | os.PathLike[str]) -> tuple[Path, Path, str]:
    """Write a new key pair into ``folder`` (made if missing, mode 0700); (key, public key, key id).

    An existing ``audit.key`` is never overwritten: replacing a key is a decision, not a side effect."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    out = Path(folder)
    key_path, public_path = out / KEY_FILE, out / PUBLIC_FILE
    if out.exists() and not out.is_dir():
        raise AuditKeyError(f"{out}: is not a folder")
    for existing in (key_path, public_path):
        if existing.exists():
            raise AuditKeyError(f"{existing}: already exists; not overwritten (move it away to make a new key)")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    try:
        out.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        os.chmod(key_path, 0o600)   # whatever the umask said
        public_path.write_bytes(public)
    except OSError as exc:
        raise AuditKeyError(f"{out}: cannot write the key pair: {exc.strerror or exc}") from None
    return key_path, public_path, key_id(private.public_key())


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise AuditKeyError(f"{what} {path}: no such file") from None
    except IsADirectoryError:
        raise AuditKeyError(f"{what} {path}: is a folder, not a key file") from None
    except OSError as exc:
        raise AuditKeyError(f"{what} {path}: cannot read: {exc.strerror or exc}") from None


def load_signer(spec: str, origin: str) -> Signer:
    """The signing key ``spec`` names (a file, or PEM text when it starts with ``-----BEGIN``);
    ``origin`` says where the setting came from (``--audit-key``, ``EXECGATE_AUDIT_KEY``, ``policy audit.key``)."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    inline = spec.lstrip().startswith(PEM_START)
    name = f"{origin} (PEM text)" if inline else f"{origin} {spec}"
    data = spec.encode("ascii", "replace") if inline else _read(spec, f"signing key ({origin})")
    if b"PUBLIC KEY-----" in data:
        raise AuditKeyError(f"{name}: is a public key; gates sign with the private key ({KEY_FILE})")
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise AuditKeyError(f"{name}: the key is encrypted with a passphrase; give an unencrypted key "
                            "(keep it where only the gate can read it)") from None
    except (ValueError, UnsupportedAlgorithm):
        raise AuditKeyError(f"{name}: not a PEM private key (make one with `execgate audit keygen --out DIR`)") \
            from None
    if not isinstance(private, Ed25519PrivateKey):
        raise AuditKeyError(f"{name}: is a {type(private).__name__.removeprefix('_')} key, not Ed25519 "
                            "(make one with `execgate audit keygen --out DIR`)")
    return Signer(private, name)


def load_public_key(path: str) -> tuple[str, Any]:
    """(key id, key) of an Ed25519 public key file; a private key file is accepted too (its public half)."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    data = _read(path, "public key")
    key: Any
    try:
        if b"PRIVATE KEY-----" in data:
            key = serialization.load_pem_private_key(data, password=None)
            if isinstance(key, Ed25519PrivateKey):
                key = key.public_key()
        else:
            key = serialization.load_pem_public_key(data)
    except (TypeError, ValueError, UnsupportedAlgorithm):
        raise AuditKeyError(f"public key {path}: not a PEM public key (audit.pub from `execgate audit keygen`)") \
            from None
    if not isinstance(key, Ed25519PublicKey):
        raise AuditKeyError(f"public key {path}: is a {type(key).__name__.removeprefix('_')} key, not Ed25519")
    return key_id(key), key


def load_keyring(paths: Iterable[str]) -> Keyring:
    """The public keys of ``paths`` (several: a log signed before and after a key was replaced)."""
    return Keyring(dict(load_public_key(path) for path in paths))
