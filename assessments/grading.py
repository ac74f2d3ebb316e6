"""Pure-Python grading engine for quiz questions.

No Django imports: everything here works on JSON-compatible ``spec`` dicts authored by trainers
and on answers decoded from the browser.  The flow is::

    answer = normalise_answer(kind, spec, raw)   # raises AnswerError on a malformed payload
    score = grade(kind, spec, answer, points)     # Decimal in [0, max_score], never raises

Specs are assumed to have been validated at authoring time, but every function here is
defensive: malformed entries (a choice without a string id, an unknown scenario part kind, ...)
are skipped rather than crashing a grading run.  Only an unknown top-level ``kind`` raises
``ValueError``, because that is a programming error rather than bad data.
"""

from __future__ import annotations

import random
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from typing import Any

__all__ = [
    "KINDS",
    "MAX_SHORT_ANSWER_LENGTH",
    "PART_KINDS",
    "AnswerError",
    "attempt_view",
    "correct_answer",
    "grade",
    "max_score",
    "normalise_answer",
    "public_spec",
]

SINGLE_CHOICE = "single_choice"
MULTIPLE_RESPONSE = "multiple_response"
TRUE_FALSE = "true_false"
SHORT_ANSWER = "short_answer"
MATCHING = "matching"
ORDERING = "ordering"
SCENARIO = "scenario"

PART_KINDS = frozenset(
    {SINGLE_CHOICE, MULTIPLE_RESPONSE, TRUE_FALSE, SHORT_ANSWER, MATCHING, ORDERING}
)
KINDS = PART_KINDS | {SCENARIO}

ALL_OR_NOTHING = "all_or_nothing"
RIGHT_MINUS_WRONG = "right_minus_wrong"
PROPORTIONAL = "proportional"

MAX_SHORT_ANSWER_LENGTH = 500

_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")
# Generous precision so that quantizing large-but-sane point values never traps.
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)
_WHITESPACE = re.compile(r"\s+")


class AnswerError(ValueError):
    """A malformed answer payload; message is safe to show."""


# --------------------------------------------------------------------------------------------
# Spec readers (defensive: malformed entries are skipped, duplicate ids keep the first entry)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Choice:
    id: str
    text: str
    correct: bool


@dataclass(frozen=True)
class _Pair:
    id: str  # the left-hand item's id; the answer maps it to a right-hand id
    left: str
    right: str
    right_id: str


@dataclass(frozen=True)
class _Part:
    id: str
    kind: str
    prompt: str
    spec: dict
    points: Decimal


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _entries(spec: Any, key: str) -> list[dict]:
    """The dict entries of ``spec[key]`` that carry a string id, first occurrence of each id."""
    if not isinstance(spec, dict):
        return []
    raw = spec.get(key)
    if not isinstance(raw, list | tuple):
        return []
    seen: set[str] = set()
    entries = []
    for entry in raw:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"] not in seen:
            seen.add(entry["id"])
            entries.append(entry)
    return entries


def _choices(spec: Any) -> list[_Choice]:
    return [
        _Choice(e["id"], _text(e.get("text")), e.get("correct") is True)
        for e in _entries(spec, "choices")
    ]


def _pairs(spec: Any) -> list[_Pair]:
    # An attempt's spec gives each right-hand option its own id (``attempt_view``); an
    # authored spec, and attempts stored before that, use the pair's id for both sides.
    return [
        _Pair(
            e["id"],
            _text(e.get("left")),
            _text(e.get("right")),
            e["right_id"] if isinstance(e.get("right_id"), str) else e["id"],
        )
        for e in _entries(spec, "pairs")
    ]


def _item_ids(spec: Any) -> list[str]:
    return [e["id"] for e in _entries(spec, "items")]


def _parts(spec: Any) -> list[_Part]:
    """Scenario parts; parts with an unknown or nested-scenario kind are ignored everywhere."""
    parts = []
    for e in _entries(spec, "parts"):
        kind = e.get("kind")
        if kind not in PART_KINDS:
            continue
        part_spec = e.get("spec")
        parts.append(
            _Part(
                id=e["id"],
                kind=kind,
                prompt=_text(e.get("prompt")),
                spec=part_spec if isinstance(part_spec, dict) else {},
                points=_points(e.get("points")),
            )
        )
    return parts


def _policy(spec: Any) -> str:
    policy = spec.get("partial_credit") if isinstance(spec, dict) else None
    # Unknown or missing policies fall back to the strictest one.
    return policy if policy in (RIGHT_MINUS_WRONG, PROPORTIONAL) else ALL_OR_NOTHING


def _partial(spec: Any) -> bool:
    return isinstance(spec, dict) and spec.get("partial_credit") is True


# --------------------------------------------------------------------------------------------
# Decimal helpers
# --------------------------------------------------------------------------------------------


def _points(value: Any) -> Decimal:
    """Coerce a points value to a non-negative finite Decimal; anything unusable counts as 0."""
    if value is None:
        return Decimal(1)  # a scenario part authored without "points" is worth one point
    if isinstance(value, bool):
        return Decimal(0)
    try:
        if isinstance(value, float):
            value = str(value)
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(0)
    if not number.is_finite() or number < 0:
        return Decimal(0)
    return number


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP, context=_CONTEXT)


def _fraction_of(maximum: Decimal, numerator: int, denominator: int) -> Decimal:
    if denominator <= 0 or numerator <= 0:
        return _ZERO
    numerator = min(numerator, denominator)
    with localcontext(_CONTEXT):
        return _quantize(maximum * Decimal(numerator) / Decimal(denominator))


# --------------------------------------------------------------------------------------------
# Text normalisation for short answers
# --------------------------------------------------------------------------------------------


def _canonical_text(value: str) -> str:
    """NFC, with surrounding whitespace stripped and internal runs collapsed to one space."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", value)).strip()


def _comparison_key(value: str) -> str:
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", value).casefold())
    return _WHITESPACE.sub(" ", folded).strip()


def _strip_diacritics(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", bare)


# --------------------------------------------------------------------------------------------
# max_score
# --------------------------------------------------------------------------------------------


def _check_kind(kind: str, spec: Any) -> dict:
    """Reject unknown kinds (a programming error); return ``spec`` or ``{}`` if it is not a dict."""
    if kind not in KINDS:
        raise ValueError(f"Unknown question kind: {kind!r}")
    return spec if isinstance(spec, dict) else {}


def max_score(kind: str, spec: dict, points: Decimal) -> Decimal:
    """The highest score a question can award, quantized to 0.01.

    For a scenario the ``points`` argument is ignored: the maximum is the sum of its parts'.
    """
    spec = _check_kind(kind, spec)
    if kind == SCENARIO:
        with localcontext(_CONTEXT):
            return _quantize(
                sum((max_score(p.kind, p.spec, p.points) for p in _parts(spec)), _ZERO)
            )
    return _quantize(_points(points))


# --------------------------------------------------------------------------------------------
# normalise_answer
# --------------------------------------------------------------------------------------------


def _is_unanswered(raw: Any) -> bool:
    # ``False`` is a real true/false answer, so only these exact empty shapes count.
    return raw is None or (isinstance(raw, str | list | tuple | dict) and len(raw) == 0)


def _require_str(raw: Any, message: str) -> str:
    if not isinstance(raw, str):
        raise AnswerError(message)
    return raw


def _require_list(raw: Any) -> list:
    if not isinstance(raw, list | tuple):
        raise AnswerError("The answer must be a list.")
    return list(raw)


def _require_dict(raw: Any) -> dict:
    if not isinstance(raw, dict):
        raise AnswerError("The answer must be an object.")
    return raw


def _normalise_single_choice(spec: dict, raw: Any) -> str:
    choice_id = _require_str(raw, "The answer must be a single choice.")
    if choice_id not in {c.id for c in _choices(spec)}:
        raise AnswerError("The selected choice does not belong to this question.")
    return choice_id


def _normalise_multiple_response(spec: dict, raw: Any) -> list[str]:
    selected = _require_list(raw)
    known = [c.id for c in _choices(spec)]
    seen: set[str] = set()
    for choice_id in selected:
        _require_str(choice_id, "Each selected choice must be a choice id.")
        if choice_id not in known:
            raise AnswerError("A selected choice does not belong to this question.")
        if choice_id in seen:
            raise AnswerError("A choice was selected more than once.")
        seen.add(choice_id)
    # Canonical form: the authored order, independent of click or display order.
    return [choice_id for choice_id in known if choice_id in seen]


def _normalise_true_false(spec: dict, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise AnswerError("The answer must be true or false.")
    return raw


def _normalise_short_answer(spec: dict, raw: Any) -> str | None:
    text = _require_str(raw, "The answer must be text.")
    too_long = f"The answer must be at most {MAX_SHORT_ANSWER_LENGTH} characters."
    if len(text) > MAX_SHORT_ANSWER_LENGTH:
        raise AnswerError(too_long)
    canonical = _canonical_text(text)
    if len(canonical) > MAX_SHORT_ANSWER_LENGTH:  # NFC can lengthen a few rare characters
        raise AnswerError(too_long)
    return canonical or None


def _normalise_matching(spec: dict, raw: Any) -> dict[str, str] | None:
    mapping = _require_dict(raw)
    pairs = _pairs(spec)
    known = [p.id for p in pairs]
    options = {p.right_id for p in pairs}
    for left_id, right_id in mapping.items():
        if left_id not in known:
            raise AnswerError("An item being matched does not belong to this question.")
        if right_id is None or right_id == "":
            continue  # a dropdown left on its placeholder: that item is simply unmatched
        _require_str(right_id, "Each match must be an option id.")
        if right_id not in options:
            raise AnswerError("A chosen match does not belong to this question.")
    canonical = {
        left_id: mapping[left_id]
        for left_id in known
        if left_id in mapping and not _is_unanswered(mapping[left_id])
    }
    return canonical or None


def _normalise_ordering(spec: dict, raw: Any) -> list[str]:
    order = _require_list(raw)
    known = _item_ids(spec)
    seen: set[str] = set()
    for item_id in order:
        _require_str(item_id, "Each entry must be an item id.")
        if item_id not in known:
            raise AnswerError("An item does not belong to this question.")
        if item_id in seen:
            raise AnswerError("An item appears more than once.")
        seen.add(item_id)
    if len(seen) != len(known):
        raise AnswerError("Every item must be placed exactly once.")
    return order


def _normalise_scenario(spec: dict, raw: Any) -> dict[str, Any] | None:
    answers = _require_dict(raw)
    parts = _parts(spec)
    known = {p.id for p in parts}
    for part_id in answers:
        if part_id not in known:
            raise AnswerError("An answer was given for a part that is not in this question.")
    canonical: dict[str, Any] = {}
    for part in parts:
        try:
            canonical[part.id] = normalise_answer(part.kind, part.spec, answers.get(part.id))
        except AnswerError as error:
            raise AnswerError(f"Part {part.id}: {error}") from None
    if all(value is None for value in canonical.values()):
        return None
    return canonical


_NORMALISERS: dict[str, Callable[[dict, Any], Any]] = {
    SINGLE_CHOICE: _normalise_single_choice,
    MULTIPLE_RESPONSE: _normalise_multiple_response,
    TRUE_FALSE: _normalise_true_false,
    SHORT_ANSWER: _normalise_short_answer,
    MATCHING: _normalise_matching,
    ORDERING: _normalise_ordering,
    SCENARIO: _normalise_scenario,
}


def normalise_answer(kind: str, spec: dict, raw: Any) -> object:
    """Validate a JSON-decoded answer and return its canonical form (``None`` = unanswered).

    Raises ``AnswerError`` (with a message safe to show the trainee) for malformed payloads.
    Idempotent: normalising a normalised answer returns it unchanged.
    """
    spec = _check_kind(kind, spec)
    if _is_unanswered(raw):
        return None
    return _NORMALISERS[kind](spec, raw)


# --------------------------------------------------------------------------------------------
# grade
# --------------------------------------------------------------------------------------------


def _grade_single_choice(spec: dict, answer: Any, maximum: Decimal) -> Decimal:
    correct = {c.id for c in _choices(spec) if c.correct}
    return maximum if answer in correct else _ZERO


def _grade_multiple_response(spec: dict, answer: Any, maximum: Decimal) -> Decimal:
    choices = _choices(spec)
    selected = set(answer)
    correct = {c.id for c in choices if c.correct}
    if not correct:
        return _ZERO
    policy = _policy(spec)
    if policy == RIGHT_MINUS_WRONG:
        right = len(selected & correct)
        wrong = len(selected - correct)
        return _fraction_of(maximum, right - wrong, len(correct))
    if policy == PROPORTIONAL:
        classified_right = sum((c.id in selected) == c.correct for c in choices)
        return _fraction_of(maximum, classified_right, len(choices))
    return maximum if selected == correct else _ZERO


def _grade_true_false(spec: dict, answer: Any, maximum: Decimal) -> Decimal:
    expected = spec.get("correct")
    return maximum if isinstance(expected, bool) and answer is expected else _ZERO


def _grade_short_answer(spec: dict, answer: Any, maximum: Decimal) -> Decimal:
    accepted = spec.get("accepted")
    if not isinstance(accepted, list | tuple):
        return _ZERO
    keys = {_comparison_key(a) for a in accepted if isinstance(a, str)} - {""}
    given = _comparison_key(answer)
    if spec.get("diacritics_optional") is True:
        keys = {_strip_diacritics(k) for k in keys}
        given = _strip_diacritics(given)
    return maximum if given in keys else _ZERO


def _grade_matching(spec: dict, answer: Any, maximum: Decimal) -> Decimal:
    pairs = _pairs(spec)
    right = sum(answer.get(p.id) == p.right_id for p in pairs)
    if _partial(spec):
        return _fraction_of(maximum, right, len(pairs))
    return maximum if pairs and right == len(pairs) else _ZERO


def _grade_ordering(spec: dict, answer: Any, maximum: Decimal) -> Decimal:
    item_ids = _item_ids(spec)
    right = sum(given == expected for given, expected in zip(answer, item_ids, strict=False))
    if _partial(spec):
        return _fraction_of(maximum, right, len(item_ids))
    return maximum if item_ids and right == len(item_ids) else _ZERO


_GRADERS: dict[str, Callable[[dict, Any, Decimal], Decimal]] = {
    SINGLE_CHOICE: _grade_single_choice,
    MULTIPLE_RESPONSE: _grade_multiple_response,
    TRUE_FALSE: _grade_true_false,
    SHORT_ANSWER: _grade_short_answer,
    MATCHING: _grade_matching,
    ORDERING: _grade_ordering,
}


def grade(kind: str, spec: dict, answer: Any, points: Decimal) -> Decimal:
    """Score ``answer`` (the output of ``normalise_answer``; ``None`` means unanswered).

    Returns a Decimal in ``[0, max_score]`` quantized to 0.01 (ROUND_HALF_UP).  The answer is
    re-normalised first (a no-op for normalised answers), so an answer that no longer fits the
    spec - e.g. stored before the trainer removed a choice - scores 0 instead of raising.
    Scenario parts are graded independently, so one stale part does not zero the others.
    """
    spec = _check_kind(kind, spec)
    if kind == SCENARIO:
        answers = answer if isinstance(answer, dict) else {}
        with localcontext(_CONTEXT):
            total = sum(
                (grade(p.kind, p.spec, answers.get(p.id), p.points) for p in _parts(spec)), _ZERO
            )
        return _quantize(total)
    try:
        answer = normalise_answer(kind, spec, answer)
    except AnswerError:
        return _ZERO
    if answer is None:
        return _ZERO
    maximum = max_score(kind, spec, points)
    score = _GRADERS[kind](spec, answer, maximum)
    return min(max(score, _ZERO), maximum)


# --------------------------------------------------------------------------------------------
# attempt_view and public_spec: what the browser is shown
# --------------------------------------------------------------------------------------------

_ID_BYTES = 5  # 10 hex characters, the same length for every id


class _Ids:
    """Fresh random ids, unique within one attempt item. They come from ``secrets``, not a
    seeded generator, so nothing in them can be replayed to recover the author's order."""

    def __init__(self):
        self.used: set[str] = set()

    def new(self) -> str:
        while True:
            token = secrets.token_hex(_ID_BYTES)
            if token not in self.used:
                self.used.add(token)
                return token


def _randomised(kind: str, spec: dict, ids: _Ids) -> dict:
    spec = dict(spec)
    if kind in (SINGLE_CHOICE, MULTIPLE_RESPONSE):
        spec["choices"] = [{**e, "id": ids.new()} for e in _entries(spec, "choices")]
    elif kind == MATCHING:
        # Each side gets its own id: a shared one would tell every item its match.
        spec["pairs"] = [
            {**e, "id": ids.new(), "right_id": ids.new()} for e in _entries(spec, "pairs")
        ]
    elif kind == ORDERING:
        spec["items"] = [{**e, "id": ids.new()} for e in _entries(spec, "items")]
    elif kind == SCENARIO:
        spec["parts"] = [
            {**e, "id": ids.new(), "spec": _randomised(e.get("kind"), e.get("spec") or {}, ids)}
            if e.get("kind") in PART_KINDS
            else e
            for e in _entries(spec, "parts")
        ]
    return spec


def attempt_view(kind: str, spec: dict, *, shuffle: bool) -> tuple[dict, dict]:
    """(server-side spec, public view) for one question of a new attempt.

    Every id is replaced by a fresh random one: authored ids are positional (c0, c1 ... in
    the author's order, and ordering items are stored in the right order), so they would
    hint at the key. The server-side spec keeps the author's order; the public view is
    shuffled by the operating system's generator.
    """
    _check_kind(kind, spec)
    server = _randomised(kind, spec if isinstance(spec, dict) else {}, _Ids())
    return server, public_spec(kind, server, rng=random.SystemRandom(), shuffle=shuffle)


def _public_choices(spec: dict, rng: random.Random, shuffle: bool) -> dict:
    # Whitelist id and text only: "correct" and any other authored key (feedback...) stay hidden.
    choices = [{"id": c.id, "text": c.text} for c in _choices(spec)]
    if shuffle:
        rng.shuffle(choices)
    return {"choices": choices}


def _public_matching(spec: dict, rng: random.Random, shuffle: bool) -> dict:
    pairs = _pairs(spec)
    if any(p.right_id == p.id for p in pairs):
        raise ValueError("A matching question needs separate left and right ids: use attempt_view.")
    left = [{"id": p.id, "text": p.left} for p in pairs]
    right = [{"id": p.right_id, "text": p.right} for p in pairs]
    # The options are always shuffled, whatever the quiz says: in the author's order (or in
    # any order computed from the texts) they would line up with their items.
    rng.shuffle(right)
    if shuffle:
        rng.shuffle(left)
    return {"left": left, "right": right}


def _public_ordering(spec: dict, rng: random.Random) -> dict:
    # The stored order is the key, so the items are always shown in a uniformly random
    # order. It may happen to be the right one (1 in n!): that tells nothing, because every
    # item still starts without a place and the trainee must give each one.
    items = [{"id": e["id"], "text": _text(e.get("text"))} for e in _entries(spec, "items")]
    rng.shuffle(items)
    return {"items": items}


def public_spec(
    kind: str, spec: dict, *, rng: random.Random | None = None, shuffle: bool = False
) -> dict:
    """What the browser may see before grading: never any correctness information.

    Matching options and ordering items are always shuffled with ``rng`` (the operating
    system's generator when ``rng`` is None); choices and matching items too when
    ``shuffle`` is True, otherwise they keep the author's order. The same seed gives the same
    result. A matching spec must give its options their own ids (``attempt_view`` does).
    """
    spec = _check_kind(kind, spec)
    generator = rng if rng is not None else random.SystemRandom()
    if kind in (SHORT_ANSWER, TRUE_FALSE):
        return {}
    if kind == ORDERING:
        return _public_ordering(spec, generator)
    if kind == SCENARIO:
        return {
            "vignette": _text(spec.get("vignette")),
            "parts": [
                {
                    "id": p.id,
                    "kind": p.kind,
                    "prompt": p.prompt,
                    "spec": public_spec(p.kind, p.spec, rng=generator, shuffle=shuffle),
                }
                for p in _parts(spec)
            ],
        }
    if kind == MATCHING:
        return _public_matching(spec, generator, shuffle)
    return _public_choices(spec, generator, shuffle)


# --------------------------------------------------------------------------------------------
# correct_answer
# --------------------------------------------------------------------------------------------


def correct_answer(kind: str, spec: dict) -> object:
    """The canonical correct answer, JSON-compatible and in ``normalise_answer``'s shape.

    ``None`` when the spec admits no correct answer (e.g. a choice question with no choice
    marked correct).
    """
    spec = _check_kind(kind, spec)
    if kind == SINGLE_CHOICE:
        return next((c.id for c in _choices(spec) if c.correct), None)
    if kind == MULTIPLE_RESPONSE:
        return [c.id for c in _choices(spec) if c.correct] or None
    if kind == TRUE_FALSE:
        expected = spec.get("correct") if isinstance(spec, dict) else None
        return expected if isinstance(expected, bool) else None
    if kind == SHORT_ANSWER:
        accepted = spec.get("accepted") if isinstance(spec, dict) else None
        for candidate in accepted if isinstance(accepted, list | tuple) else ():
            if isinstance(candidate, str):
                try:
                    canonical = _normalise_short_answer(spec, candidate)
                except AnswerError:
                    continue
                if canonical is not None:
                    return canonical
        return None
    if kind == MATCHING:
        return {p.id: p.right_id for p in _pairs(spec)} or None
    if kind == ORDERING:
        return _item_ids(spec) or None
    answers = {p.id: correct_answer(p.kind, p.spec) for p in _parts(spec)}
    return None if all(value is None for value in answers.values()) else answers
