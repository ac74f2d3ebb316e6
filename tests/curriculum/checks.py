"""What "a real course" means for the starter curriculum, as small functions the
completeness test applies to every course of every role path (and tests on their own)."""

import html
import re

# Placeholder wording the old demo used, and the usual stand-ins.
PLACEHOLDER = re.compile(r"đang được biên soạn|bản giữ chỗ|placeholder|\btodo\b|lorem", re.I)
# Letters that exist in Vietnamese but not in plain ASCII English.
VIETNAMESE_LETTERS = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)
MIN_WORDS = 450
MIN_VIETNAMESE_SHARE = 0.5
NOT_TEXT_KEYS = {"id", "type", "provision", "image", "document", "activity", "level", "kind"}


def plain(value: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value or "")).split())


def block_texts(raw) -> list[str]:
    """Every piece of text a trainee reads in a stream value (raw JSON data), at any depth."""
    if isinstance(raw, str):
        return [plain(raw)]
    if isinstance(raw, list):
        return [text for item in raw for text in block_texts(item)]
    if isinstance(raw, dict):
        return [
            text
            for key, item in raw.items()
            if key not in NOT_TEXT_KEYS
            for text in block_texts(item)
        ]
    return []


def block_types(raw) -> list[str]:
    """The block types of a stream value, including those inside content warnings."""
    found = []
    for block in raw or []:
        found.append(block["type"])
        if block["type"] == "content_warning":
            found.extend(block_types(block["value"].get("content")))
    return found


def text_stats(texts: list[str]) -> tuple[int, float]:
    """(number of words, share of words written with Vietnamese letters)."""
    words = " ".join(texts).split()
    if not words:
        return 0, 0.0
    vietnamese = sum(1 for word in words if VIETNAMESE_LETTERS.search(word))
    return len(words), vietnamese / len(words)


def is_substantial_vietnamese(texts: list[str]) -> bool:
    count, share = text_stats(texts)
    return count >= MIN_WORDS and share >= MIN_VIETNAMESE_SHARE


def placeholders_in(texts: list[str]) -> list[str]:
    return [text for text in texts if PLACEHOLDER.search(text)]
