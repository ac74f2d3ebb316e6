"""Stable keys and ASCII slugs.

A key names an object across deployments (course packages match questions, categories,
legal provisions, lessons and paths by it): lower-case ASCII letters, digits, `_` and `-`,
at most 80 characters. Slugs of new pages are ASCII too, with Vietnamese diacritics removed
("Kỹ năng" → "ky-nang", "đ" → "d").
"""

import re

from anyascii import anyascii
from django.core.validators import RegexValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

KEY_MAX_LENGTH = 80
KEY_PATTERN = re.compile(r"^[a-z0-9_-]{1,80}$")

validate_key = RegexValidator(
    KEY_PATTERN,
    _("Use lower-case letters without diacritics, digits, “_” or “-” (at most 80)."),
)


def ascii_slug(value: str, *, max_length: int = 255) -> str:
    """An ASCII slug of `value`: diacritics removed, "đ" written "d", spaces as "-"."""
    # anyascii transliterates (đ → d, ỹ → y); slugify then keeps [a-z0-9_-] only.
    slug = slugify(anyascii(value or ""))
    return slug[:max_length].strip("-")


def is_key(value) -> bool:
    return isinstance(value, str) and bool(KEY_PATTERN.match(value))
