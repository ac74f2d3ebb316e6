"""Reads for the audit log: checking the chain."""

from dataclasses import dataclass

from . import chain
from .models import AuditAnchor, AuditEntry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    anchors: int
    problem: chain.Break | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _entries_in_order():
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)


def audit_chain_verify(*, public_key=None) -> ChainReport:
    """Check every link, then every signed head against the entry it signed."""
    from .signing import platform_private_key, signature_valid

    count = 0
    by_seq_hash = {}
    anchor_seqs = set(AuditAnchor.objects.values_list("seq", flat=True))

    def counted(entries):
        nonlocal count
        for entry in entries:
            count += 1
            if entry.seq in anchor_seqs:
                by_seq_hash[entry.seq] = entry.hash
            yield entry

    problem = chain.first_break(counted(_entries_in_order()))
    anchors = list(AuditAnchor.objects.order_by("seq"))
    if problem is None and anchors:
        key = public_key or platform_private_key().public_key()
        for anchor in anchors:
            message = chain.anchor_message(seq=anchor.seq, hash=anchor.hash)
            if not signature_valid(message, anchor.signature, key):
                problem = chain.Break(anchor.seq, "the signed head for it has a bad signature")
            elif anchor.seq not in by_seq_hash:
                problem = chain.Break(
                    anchor.seq, "it was signed as the chain head but is no longer in the log"
                )
            elif by_seq_hash[anchor.seq] != anchor.hash:
                problem = chain.Break(
                    anchor.seq, "it differs from the signed chain head (the chain was rewritten)"
                )
            if problem is not None:
                break
    return ChainReport(entries=count, anchors=len(anchors), problem=problem)
