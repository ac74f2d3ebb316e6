"""A key oracle: can someone who reads the attempt page work out the answer key?

An attack strategy sees only what reaches the browser for one question - the HTML of the
question as the attempt page renders it and the public payload it was rendered from - and
fills in the form as a browser would post it; the form goes through the real form parser and
grader. Strategies are blind to the trainer's wording (a trainer who always writes the right
answer longest gives it away, but that is the trainer's text, not the platform's): they use
only what the platform adds - ids, names, values, the order of things.

The null hypothesis is "the page says nothing about the key". Under it, given the answer A a
strategy produced, the key is equally likely to be any relabelling of itself (the correct
choices moved to other options, another pairing, another order, true and false swapped), so
the expected score of A is ``chance(A)``, computed exactly over those relabellings. Each
presentation gives an advantage ``score(A) - chance(A)``, which has mean 0 under the null and
lies in an interval of width 1. By Hoeffding's inequality, the mean advantage of n
presentations exceeds ``tolerance(n) = sqrt(ln(1/DELTA) / 2n)`` with probability below
DELTA = 1e-6 under the null: that is the stated tolerance, and a strategy above it fails.

Where the platform adds no randomness of its own (true/false; choices with shuffling turned
off keep the trainer's order), the key itself is relabelled at random for each presentation,
so the test asks only whether the page reveals the key. Everywhere else the trainer's key is
kept as written - the right choice first, pairs and items in the author's (correct) order -
so the test also asks whether the platform's presentation hides the trainer's habits.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation

from assessments import grading
from assessments.forms import answers_from_post

DELTA = 1e-6
ITEM_PK = 7
FIELD = f"q-{ITEM_PK}"

# present(kind, authored_spec, shuffle) -> (server_side_spec, public_payload)
Presenter = Callable[[str, dict, bool], tuple[dict, dict]]


def tolerance(n: int, delta: float = DELTA) -> float:
    return math.sqrt(math.log(1 / delta) / (2 * n))


# --------------------------------------------------------------------------------------------
# Relabelling the key, and chance: the expected score of an answer over relabelled keys
# --------------------------------------------------------------------------------------------


def relabelled(kind: str, spec: dict, shuffle: bool, rng: random.Random) -> dict:
    """The authored question with its key moved at random where the platform is not asked to
    hide the author's order: true/false, and choices when shuffling is off."""
    if kind == "true_false":
        return {**spec, "correct": rng.random() < 0.5}
    if kind in ("single_choice", "multiple_response") and not shuffle:
        flags = [c["correct"] for c in spec["choices"]]
        rng.shuffle(flags)
        return {
            **spec,
            "choices": [{**c, "correct": f} for c, f in zip(spec["choices"], flags, strict=True)],
        }
    if kind == "scenario":
        return {
            **spec,
            "parts": [
                {**p, "spec": relabelled(p["kind"], p["spec"], shuffle, rng)} for p in spec["parts"]
            ],
        }
    return spec


def _fraction(kind: str, spec: dict, answer) -> float:
    maximum = grading.max_score(kind, spec, Decimal(1))
    return float(grading.grade(kind, spec, answer, Decimal(1)) / maximum) if maximum else 0.0


def chance(kind: str, spec: dict, answer) -> float:
    """Expected fraction of the maximum that ``answer`` (normalised) earns when the key of
    ``spec`` is replaced by a uniformly random relabelling of itself."""
    if answer is None:
        return 0.0
    if kind == "scenario":
        parts = [(Decimal(str(p.get("points", "1"))), p) for p in spec["parts"]]
        total = sum(points for points, _ in parts)
        if not total:
            return 0.0
        earned = sum(
            points * Decimal(chance(p["kind"], p["spec"], answer.get(p["id"])))
            for points, p in parts
        )
        return float(earned / total)
    if kind == "single_choice":
        choices = spec["choices"]
        return sum(c["correct"] for c in choices) / len(choices)
    if kind == "multiple_response":
        choices = spec["choices"]
        m = sum(c["correct"] for c in choices)
        keys = list(itertools.combinations(range(len(choices)), m))
        total = 0.0
        for key in keys:
            moved = {
                **spec,
                "choices": [{**c, "correct": i in key} for i, c in enumerate(choices)],
            }
            total += _fraction(kind, moved, answer)
        return total / len(keys)
    if kind == "true_false":
        return 0.5
    if kind == "short_answer":
        return 0.0  # another random keyword is never a string of the page
    partial = spec.get("partial_credit") is True
    if kind == "matching":
        n = len(spec["pairs"])
        if partial:
            return len(answer) / n / n  # each matched item is right with probability 1/n
        complete = len(answer) == n and len(set(answer.values())) == n
        return 1 / math.factorial(n) if complete else 0.0
    n = len(spec["items"])  # ordering: a normalised answer places every item once
    return 1 / n if partial else 1 / math.factorial(n)


# --------------------------------------------------------------------------------------------
# What the attacker sees: the rendered question, parsed into its controls
# --------------------------------------------------------------------------------------------


@dataclass
class Option:
    value: str
    text: str


@dataclass
class Select:
    name: str
    label: str
    options: list[Option]  # the placeholder ("") left out


@dataclass
class Group:
    """The controls of one answerable part: a radio or checkbox group, a set of selects
    (matching or ordering), or a text box."""

    prefix: str
    kind: str  # radio | checkbox | selects | text
    options: list[Option] = field(default_factory=list)
    selects: list[Select] = field(default_factory=list)


@dataclass
class Page:
    html: str
    public: dict
    groups: list[Group]
    strings: list[str]  # every attribute value and text of the question


def render(kind: str, public: dict, *, max_score: Decimal) -> str:
    item = SimpleNamespace(
        pk=ITEM_PK,
        kind=kind,
        stem="<p>Câu hỏi</p>",
        public=public,
        answer=None,
        max_score=max_score,
        field_name=FIELD,
        error=None,
    )
    with translation.override("vi"):
        return render_to_string(
            "assessments/questions/_item.html",
            {
                "item": item,
                "n": 1,
                "total": 1,
                "true_false_choices": [("true", "Đúng"), ("false", "Sai")],
            },
        )


class _Controls(HTMLParser):
    """The form controls of the question, their labels, and every string in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls: list[dict] = []  # inputs and selects, in document order
        self.labels: dict[str, list[str]] = {}
        self.strings: set[str] = set()
        self._label: str | None = None
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.strings.update(v for v in attributes.values() if v)
        if tag == "input":
            self.controls.append({"tag": "input", **attributes})
        elif tag == "select":
            self.controls.append({"tag": "select", **attributes, "options": []})
        elif tag == "option" and self.controls and self.controls[-1]["tag"] == "select":
            self._option = {"value": attributes.get("value", ""), "text": ""}
            self.controls[-1]["options"].append(self._option)
        elif tag == "label":
            self._label = attributes.get("for", "")
            self.labels.setdefault(self._label, [])

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None
        elif tag == "option":
            self._option = None

    def handle_data(self, data):
        text = data.strip()
        if not text:
            return
        self.strings.add(text)
        self.strings.update(text.split())
        if self._label is not None:
            self.labels[self._label].append(text)
        if self._option is not None:
            self._option["text"] += text


def parse(html: str, public: dict) -> Page:
    parser = _Controls()
    parser.feed(html)
    parser.close()

    def label(control) -> str:
        return " ".join(parser.labels.get(control.get("id", ""), []))

    groups: dict[str, Group] = {}
    for control in parser.controls:
        name = control.get("name", "")
        if control["tag"] == "select":
            prefix = name.rsplit("-", 1)[0]
            group = groups.setdefault(prefix, Group(prefix=prefix, kind="selects"))
            options = [Option(o["value"], o["text"]) for o in control["options"] if o["value"]]
            group.selects.append(Select(name, label(control), options))
        elif control.get("type") in ("radio", "checkbox"):
            group = groups.setdefault(name, Group(prefix=name, kind=control["type"]))
            group.options.append(Option(control.get("value", ""), label(control)))
        elif control.get("type") == "text":
            groups[name] = Group(prefix=name, kind="text")
    return Page(html, public, list(groups.values()), sorted(parser.strings))


# --------------------------------------------------------------------------------------------
# Attack strategies. Each one turns a page into the form data a browser would post.
# --------------------------------------------------------------------------------------------


def _tail(name: str) -> str:
    return name.rsplit("-", 1)[-1]


def _common_prefix(a: str, b: str) -> int:
    pairs = zip(a, b, strict=False)
    return next((i for i, (x, y) in enumerate(pairs) if x != y), min(len(a), len(b)))


def _is_ordering(group: Group) -> bool:
    values = [o.value for o in group.selects[0].options] if group.selects else []
    return values == [str(i) for i in range(1, len(values) + 1)]


def _assign(group: Group, ranks: list[int]) -> dict[str, list[str]]:
    """Selects: the i-th select takes the option at ranks[i] (positions for ordering)."""
    data = {}
    for select, rank in zip(group.selects, ranks, strict=False):
        options = select.options
        if options:
            data[select.name] = [options[rank % len(options)].value]
    return data


def _permutation_by(keys: list) -> list[int]:
    """ranks[i] = place of element i when the elements are sorted by key."""
    order = sorted(range(len(keys)), key=lambda i: (keys[i], i))
    ranks = [0] * len(keys)
    for place, i in enumerate(order):
        ranks[i] = place
    return ranks


def _pair_by(left_keys: list, right_keys: list) -> list[int]:
    """Matching: pair the k-th smallest left with the k-th smallest right option."""
    right_order = sorted(range(len(right_keys)), key=lambda i: (right_keys[i], i))
    left_ranks = _permutation_by(left_keys)
    return [right_order[left_ranks[i] % len(right_order)] for i in range(len(left_keys))]


def _choices(group: Group, picks: list[int]) -> dict[str, list[str]]:
    values = [group.options[i % len(group.options)].value for i in picks] if group.options else []
    if group.kind == "radio":
        values = values[:1]
    return {group.prefix: list(dict.fromkeys(values))} if values else {}


def _half(k: int) -> int:
    return max(1, (k + 1) // 2)


class Strategy:
    name = "?"

    def selects(self, group: Group, page: Page) -> dict[str, list[str]]:
        return {}

    def choices(self, group: Group, page: Page) -> dict[str, list[str]]:
        return {}

    def text(self, group: Group, page: Page) -> list[str]:
        return []

    def form(self, page: Page) -> list[dict[str, list[str]]]:
        """One or more candidate forms; the best-scoring one counts (several tries)."""
        data: dict[str, list[str]] = {}
        texts: list[tuple[str, list[str]]] = []
        for group in page.groups:
            if group.kind == "selects":
                data.update(self.selects(group, page))
            elif group.kind in ("radio", "checkbox"):
                data.update(self.choices(group, page))
            elif group.kind == "text":
                texts.append((group.prefix, self.text(group, page)))
        candidates = sorted({c for _, found in texts for c in found})
        if not candidates:
            return [data]
        # Each candidate goes into every text box at once: any hit beats chance, which is 0.
        return [{**data, **{name: [c] for name, _ in texts}} for c in candidates]


class EqualValues(Strategy):
    """An option whose value equals (or is part of) the select's name; a choice whose
    value turns up elsewhere in the page."""

    name = "name/value equality"

    def selects(self, group, page):
        data = {}
        for select in group.selects:
            tail = _tail(select.name)
            match = next((o for o in select.options if o.value == tail), None) or next(
                (o for o in select.options if o.value and o.value in select.name), None
            )
            if match:
                data[select.name] = [match.value]
        return data

    def choices(self, group, page):
        counts = [page.html.count(o.value) for o in group.options]
        top = max(counts, default=0)
        picks = [i for i, c in enumerate(counts) if c == top]
        return _choices(group, picks)


class SharedPrefix(Strategy):
    """The option whose value shares the longest prefix with the select's name (ids made
    from one counter or one seed), or with the group's name."""

    name = "id prefix"

    def selects(self, group, page):
        data = {}
        for select in group.selects:
            tail = _tail(select.name)
            if select.options:
                best = max(select.options, key=lambda o: _common_prefix(o.value, tail))
                data[select.name] = [best.value]
        return data

    def choices(self, group, page):
        scores = [_common_prefix(o.value, group.prefix) for o in group.options]
        top = max(scores, default=0)
        return _choices(group, [i for i, s in enumerate(scores) if s == top])


class SortedIds(Strategy):
    """Ids that sort in the author's order: smallest id first."""

    name = "sorted ids"

    def selects(self, group, page):
        if _is_ordering(group):
            return _assign(group, _permutation_by([_tail(s.name) for s in group.selects]))
        rights = [o.value for o in group.selects[0].options]
        return _assign(group, _pair_by([_tail(s.name) for s in group.selects], rights))

    def choices(self, group, page):
        ranks = _permutation_by([o.value for o in group.options])
        k = 1 if group.kind == "radio" else _half(len(group.options))
        return _choices(group, [i for i, r in enumerate(ranks) if r < k])


class DomOrder(Strategy):
    """What is shown first is first: the i-th item takes the i-th option or place."""

    name = "DOM position"

    def selects(self, group, page):
        return _assign(group, list(range(len(group.selects))))

    def choices(self, group, page):
        k = 1 if group.kind == "radio" else _half(len(group.options))
        return _choices(group, list(range(k)))


class ReverseDomOrder(Strategy):
    name = "reversed DOM position"

    def selects(self, group, page):
        n = len(group.selects)
        return _assign(group, [n - 1 - i for i in range(n)])

    def choices(self, group, page):
        k = len(group.options)
        take = 1 if group.kind == "radio" else _half(k)
        return _choices(group, [k - 1 - i for i in range(take)])


class Rotation(Strategy):
    """The shown order shifted by one place (an order that is "never the right one"
    because it was rotated gives the right one away)."""

    def __init__(self, shift: int):
        self.shift = shift
        self.name = f"rotation by {shift:+d}"

    def selects(self, group, page):
        n = len(group.selects)
        return _assign(group, [(i + self.shift) % n for i in range(n)])

    def choices(self, group, page):
        return _choices(group, [self.shift % max(1, len(group.options))])


class ByLength(Strategy):
    """Length as a tell, in what the platform writes: the longest value wins, pairs line
    up by the length of their ids, items go in order of their ids' length."""

    name = "length of ids"

    def selects(self, group, page):
        lefts = [len(_tail(s.name)) for s in group.selects]
        if _is_ordering(group):
            return _assign(group, _permutation_by(lefts))
        return _assign(group, _pair_by(lefts, [len(o.value) for o in group.selects[0].options]))

    def choices(self, group, page):
        ranks = _permutation_by([-len(o.value) for o in group.options])
        k = 1 if group.kind == "radio" else _half(len(group.options))
        return _choices(group, [i for i, r in enumerate(ranks) if r < k])


class PayloadOrder(Strategy):
    """The public payload's own lists, read in order: the k-th left with the k-th right,
    ordering items in payload order."""

    name = "payload order"

    def selects(self, group, page):
        public = _public_for(group.prefix, page.public)
        if _is_ordering(group):
            ids = [i["id"] for i in public.get("items", [])]
            tails = [_tail(s.name) for s in group.selects]
            return _assign(group, [ids.index(t) if t in ids else 0 for t in tails])
        lefts = [left["id"] for left in public.get("left", [])]
        rights = [right["id"] for right in public.get("right", [])]
        data = {}
        for select in group.selects:
            tail = _tail(select.name)
            if tail in lefts and lefts.index(tail) < len(rights):
                data[select.name] = [rights[lefts.index(tail)]]
        return data

    def choices(self, group, page):
        public = _public_for(group.prefix, page.public)
        ids = [c["id"] for c in public.get("choices", [])]
        values = [o.value for o in group.options]
        k = 1 if group.kind == "radio" else _half(len(values))
        return _choices(group, [values.index(i) for i in ids[:k] if i in values])


class PageStrings(Strategy):
    """Short answers: every string in the page is tried (an attacker with unlimited tries)."""

    name = "page strings"

    def text(self, group, page):
        return [s for s in page.strings if 0 < len(s) <= grading.MAX_SHORT_ANSWER_LENGTH]


class RandomGuess(Strategy):
    """The control: a uniformly random valid answer. Its advantage must be ~0 both ways,
    which checks the chance computation itself."""

    name = "random (control)"

    def __init__(self, rng: random.Random):
        self.rng = rng

    def selects(self, group, page):
        n = len(group.selects)
        ranks = list(range(n))
        self.rng.shuffle(ranks)
        return _assign(group, ranks)

    def choices(self, group, page):
        k = len(group.options)
        if group.kind == "radio":
            return _choices(group, [self.rng.randrange(k)])
        return _choices(group, [i for i in range(k) if self.rng.random() < 0.5]) or {}


def _public_for(prefix: str, public: dict) -> dict:
    """The part of the payload a group of controls was rendered from."""
    if "parts" in public:
        for part in public["parts"]:
            if prefix == f"{FIELD}-{part['id']}":
                return part["spec"]
        return {}
    return public


ATTACKS: list[Strategy] = [
    EqualValues(),
    SharedPrefix(),
    SortedIds(),
    DomOrder(),
    ReverseDomOrder(),
    Rotation(+1),
    Rotation(-1),
    ByLength(),
    PayloadOrder(),
    PageStrings(),
]


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def answer_of(kind: str, server_spec: dict, public: dict, form: dict[str, list[str]]):
    """The normalised answer this form posts, through the real form parser (None if the
    grader would refuse it: a refused answer scores nothing)."""
    data = QueryDict(mutable=True)
    for name, values in form.items():
        data.setlist(name, values)
    item = SimpleNamespace(pk=ITEM_PK, kind=kind, public=public)
    raw = answers_from_post([item], data)[str(ITEM_PK)]
    try:
        return grading.normalise_answer(kind, server_spec, raw)
    except grading.AnswerError:
        return None


@dataclass
class Tally:
    trials: int = 0
    advantage: float = 0.0

    def add(self, value: float) -> None:
        self.trials += 1
        self.advantage += value

    @property
    def mean(self) -> float:
        return self.advantage / self.trials if self.trials else 0.0


def oracle_run(
    present: Presenter,
    kind: str,
    spec: dict,
    *,
    shuffle: bool,
    presentations: int,
    rng: random.Random,
) -> dict[str, Tally]:
    """Present one authored question ``presentations`` times and tally every strategy."""
    tallies: dict[str, Tally] = {}
    strategies = [*ATTACKS, RandomGuess(rng)]
    for _ in range(presentations):
        server_spec, public = present(kind, relabelled(kind, spec, shuffle, rng), shuffle)
        maximum = grading.max_score(kind, server_spec, Decimal(1))
        page = parse(render(kind, public, max_score=maximum), public)
        for strategy in strategies:
            answers = [answer_of(kind, server_spec, public, f) for f in strategy.form(page)]
            best = max(_fraction(kind, server_spec, a) for a in answers)
            expected = max(chance(kind, server_spec, a) for a in answers)
            tallies.setdefault(strategy.name, Tally()).add(best - expected)
    return tallies


def leaks(tallies: dict[str, Tally], delta: float = DELTA) -> dict[str, tuple[float, float]]:
    """{strategy: (advantage, tolerance)} for every attack that beats chance beyond the
    tolerance, and for the random control if it strays either way (a wrong chance)."""
    found = {}
    for name, tally in tallies.items():
        bound = tolerance(tally.trials, delta)
        control = name == RandomGuess.name
        if tally.mean > bound or (control and tally.mean < -bound):
            found[name] = (round(tally.mean, 3), round(bound, 3))
    return found
