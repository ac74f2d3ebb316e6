"""The hash chain: exactly which bytes of an entry are hashed, and how a chain is checked.

Nothing here touches the database, so the same rules can be rerun on an exported copy.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64
VERSION = 1


def _strip_nul(text: str) -> str:
    # PostgreSQL text and jsonb refuse NUL characters; they carry no meaning here.
    return text.replace("\x00", "")


def normalise_data(value):
    """Turn `data` into what the database gives back, so that the hash computed before the
    insert is the hash recomputed from the stored row: JSON types only, floats as text
    (jsonb rewrites their spelling), no NUL characters."""
    if isinstance(value, dict):
        return {_strip_nul(str(k)): normalise_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [normalise_data(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return _strip_nul(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return _strip_nul(str(value))


def clean_text(value, limit: int) -> str:
    return _strip_nul(str(value or ""))[:limit]


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_bytes(entry) -> bytes:
    """The bytes hashed for one entry (a model instance or anything with its attributes)."""
    document = {
        "v": VERSION,
        "seq": entry.seq,
        "at": _iso(entry.at),
        "action": entry.action,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_label": entry.target_label,
        "summary": entry.summary,
        "data": entry.data,
        "ip": entry.ip,
        "user_agent": entry.user_agent,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry) -> str:
    return hashlib.sha256(canonical_bytes(entry)).hexdigest()


def anchor_message(*, seq: int, hash: str) -> bytes:
    """What a signed chain head signs."""
    return f"pcmd-audit-head:v{VERSION}:{seq}:{hash}".encode()


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def first_break(entries, *, start_seq: int = 1, start_prev: str = GENESIS) -> Break | None:
    """Walk entries in `seq` order and return the first link that does not hold."""
    expected_seq, expected_prev = start_seq, start_prev
    for entry in entries:
        if entry.seq != expected_seq:
            return Break(expected_seq, f"entry #{expected_seq} is missing (next is #{entry.seq})")
        if entry.prev_hash != expected_prev:
            return Break(entry.seq, "its previous-hash does not match the entry before it")
        if entry_hash(entry) != entry.hash:
            return Break(entry.seq, "its contents do not match its hash (the row was altered)")
        expected_seq, expected_prev = entry.seq + 1, entry.hash
    return None
