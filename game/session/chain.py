"""The line format of a session log, and the hash chain that makes edits visible.

Every line is one compact JSON object. Besides its own fields it carries
`n` (its line number, 1 for the header), `prev` (the hash of the line before,
"" for the header) and, last, `hash`: the SHA-256 (first 32 hex digits) of the
line's own bytes up to that field. The hash is checked on the raw bytes, so
verifying never depends on how a JSON library orders or spaces things.

An edited line no longer matches its own hash; an edited line whose hash was
recomputed no longer matches the `prev` of the line after it; a removed or
moved line shows as a gap or a step back in `n`. This makes tampering evident,
not impossible: there is no secret key on a trainee's machine to sign with.
"""

from __future__ import annotations

import hashlib
import json

HASH_DIGITS = 32
_SUFFIX_HEAD = b',"hash":"'
_SUFFIX_LEN = len(_SUFFIX_HEAD) + HASH_DIGITS + 2  # ,"hash":"<digits>"}


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:HASH_DIGITS]


def encode(record: dict, n: int, prev: str) -> tuple[bytes, str]:
    """The bytes of one line (with its newline) and its hash. `record` must not hold n/prev/hash."""
    body = json.dumps({**record, "n": n, "prev": prev}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    line_hash = digest(body)
    return body[:-1] + _SUFFIX_HEAD + line_hash.encode("ascii") + b'"}\n', line_hash


def stated_hash(raw: bytes) -> str | None:
    """The hash a line says it has, or None if the line does not end as a hashed line does."""
    raw = raw.rstrip(b"\r\n")
    if len(raw) < _SUFFIX_LEN + 2 or not raw.endswith(b'"}') or raw[-_SUFFIX_LEN:-_SUFFIX_LEN + len(_SUFFIX_HEAD)] != _SUFFIX_HEAD:
        return None
    return raw[-HASH_DIGITS - 2:-2].decode("ascii", "replace")


def actual_hash(raw: bytes) -> str | None:
    """The hash the line's bytes give, or None if it has no hash field where one belongs."""
    raw = raw.rstrip(b"\r\n")
    if stated_hash(raw) is None:
        return None
    return digest(raw[:-_SUFFIX_LEN] + b"}")
