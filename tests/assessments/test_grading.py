"""The pure-Python quiz grading engine: no database, no Django.

Run alone with ``pytest -p no:django tests/assessments/test_grading.py``; the two fixtures below
shadow the project-wide autouse fixtures in tests/conftest.py that need a database and settings.
"""

import json
import random
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assessments.grading import (
    AnswerError,
    attempt_view,
    correct_answer,
    grade,
    max_score,
    normalise_answer,
    public_spec,
)


@pytest.fixture(autouse=True)
def _record_database():
    """Shadows tests/conftest.py's session-wide database probe: nothing here touches the DB."""


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Shadows tests/conftest.py's cache reset, which needs Django settings."""


PROPERTY = settings(max_examples=150, deadline=None)

# --------------------------------------------------------------------------------------------
# Example specs
# --------------------------------------------------------------------------------------------

SINGLE = {
    "choices": [
        {"id": "a", "text": "Hà Nội", "correct": True, "feedback": "Thủ đô"},
        {"id": "b", "text": "Huế", "correct": False},
        {"id": "c", "text": "Đà Nẵng", "correct": False},
    ]
}


def multiple(policy):
    # a, b, c correct; d, e incorrect: 3 correct, 5 choices.
    return {
        "choices": [
            {"id": cid, "text": f"Lựa chọn {cid}", "correct": cid in "abc"} for cid in "abcde"
        ],
        "partial_credit": policy,
    }


TRUE_FALSE = {"correct": True}
PHRASE = "Đội kiểm tra liên ngành"


def short(diacritics_optional):
    return {"accepted": [PHRASE, "Đoàn kiểm tra"], "diacritics_optional": diacritics_optional}


def matching(partial):
    return {
        "pairs": [
            {"id": "p1", "left": "Nghị định", "right": "Chính phủ ban hành"},
            {"id": "p2", "left": "Thông tư", "right": "Bộ ban hành"},
            {"id": "p3", "left": "Luật", "right": "Quốc hội ban hành"},
            {"id": "p4", "left": "Quyết định", "right": "Thủ tướng ban hành"},
        ],
        "partial_credit": partial,
    }


def ordering(partial):
    return {
        "items": [{"id": f"i{n}", "text": f"Bước {n}"} for n in range(1, 5)],
        "partial_credit": partial,
    }


SCENARIO = {
    "vignette": "<p>Một cơ sở karaoke bị kiểm tra…</p>",
    "parts": [
        {"id": "s1", "kind": "single_choice", "prompt": "Ai?", "spec": SINGLE, "points": 1},
        {"id": "s2", "kind": "true_false", "prompt": "Đúng?", "spec": TRUE_FALSE, "points": 2},
        {
            "id": "s3",
            "kind": "ordering",
            "prompt": "Thứ tự?",
            "spec": ordering(True),
            "points": "1.5",
        },
    ],
}

P = Decimal("1.5")

# kind, spec, a fully correct raw answer, a fully wrong raw answer
CASES = [
    ("single_choice", SINGLE, "a", "b"),
    ("multiple_response", multiple("all_or_nothing"), ["c", "a", "b"], ["d"]),
    ("multiple_response", multiple("right_minus_wrong"), ["a", "b", "c"], ["d", "e"]),
    ("multiple_response", multiple("proportional"), ["a", "b", "c"], ["d", "e"]),
    ("true_false", TRUE_FALSE, True, False),
    ("short_answer", short(False), PHRASE, "Đội kiểm tra"),
    ("matching", matching(True), {f"p{n}": f"p{n}" for n in range(1, 5)},
     {"p1": "p2", "p2": "p3", "p3": "p4", "p4": "p1"}),
    ("ordering", ordering(True), ["i1", "i2", "i3", "i4"], ["i4", "i1", "i2", "i3"]),
    ("scenario", SCENARIO, {"s1": "a", "s2": True, "s3": ["i1", "i2", "i3", "i4"]},
     {"s1": "c", "s2": False, "s3": ["i2", "i3", "i4", "i1"]}),
]  # fmt: skip
CASE_IDS = [f"{kind}-{n}" for n, (kind, *_) in enumerate(CASES)]


def score(kind, spec, raw, points=P):
    return grade(kind, spec, normalise_answer(kind, spec, raw), points)


# --------------------------------------------------------------------------------------------
# Per-kind scoring
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "spec", "right", "wrong"), CASES, ids=CASE_IDS)
def test_correct_answer_earns_max_score(kind, spec, right, wrong):
    expected = Decimal("4.50") if kind == "scenario" else Decimal("1.50")
    assert max_score(kind, spec, P) == expected
    assert score(kind, spec, right) == expected


@pytest.mark.parametrize(("kind", "spec", "right", "wrong"), CASES, ids=CASE_IDS)
def test_wrong_answer_earns_zero(kind, spec, right, wrong):
    assert score(kind, spec, wrong) == Decimal("0.00")


@pytest.mark.parametrize(("kind", "spec", "right", "wrong"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("empty", [None, "", [], {}])
def test_unanswered_is_none_and_earns_zero(kind, spec, right, wrong, empty):
    assert normalise_answer(kind, spec, empty) is None
    assert grade(kind, spec, None, P) == Decimal("0.00")


def test_scores_are_decimals_quantized_to_cents():
    result = score("multiple_response", multiple("right_minus_wrong"), ["a"], Decimal(1))
    assert isinstance(result, Decimal)
    assert result == Decimal("0.33")
    assert result.as_tuple().exponent == -2


def test_rounding_is_half_up_not_bankers():
    # 0.25 x 1/2 = 0.125 -> 0.13 (banker's rounding would give 0.12).
    spec = {"pairs": matching(True)["pairs"][:2], "partial_credit": True}
    assert score("matching", spec, {"p1": "p1", "p2": "p1"}, Decimal("0.25")) == Decimal("0.13")
    assert max_score("true_false", TRUE_FALSE, Decimal("1.005")) == Decimal("1.01")
    assert score("true_false", TRUE_FALSE, True, Decimal("1.005")) == Decimal("1.01")


def test_scenario_ignores_own_points_and_sums_parts():
    assert max_score("scenario", SCENARIO, Decimal(100)) == Decimal("4.50")
    # s1 right (1), s2 wrong (0), s3 half the positions right (1.5 x 2/4 = 0.75).
    answer = {"s1": "a", "s2": False, "s3": ["i1", "i2", "i4", "i3"]}
    assert score("scenario", SCENARIO, answer, Decimal(100)) == Decimal("1.75")


def test_scenario_with_no_part_answered_is_unanswered():
    assert normalise_answer("scenario", SCENARIO, {"s1": None, "s3": []}) is None


def test_scenario_missing_parts_are_unanswered():
    answer = normalise_answer("scenario", SCENARIO, {"s2": True})
    assert answer == {"s1": None, "s2": True, "s3": None}
    assert grade("scenario", SCENARIO, answer, P) == Decimal("2.00")


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (["a", "b", "c"], "2.00"),
        (["a", "b"], "0.00"),
        (["a", "b", "c", "d"], "0.00"),
    ],
)
def test_multiple_response_all_or_nothing(selection, expected):
    assert score("multiple_response", multiple("all_or_nothing"), selection, 2) == Decimal(expected)


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (["a", "b", "c"], "2.00"),
        (["a", "b"], "1.33"),  # 2 x 2/3
        (["a", "b", "d"], "0.67"),  # 2 x (2 - 1)/3
        (["a", "b", "c", "d"], "1.33"),  # 2 x (3 - 1)/3
        (["a", "d"], "0.00"),  # (1 - 1)/3
        (["a", "d", "e"], "0.00"),  # max(0, (1 - 2)/3)
        (["a", "b", "c", "d", "e"], "0.67"),
    ],
)
def test_multiple_response_right_minus_wrong(selection, expected):
    assert score("multiple_response", multiple("right_minus_wrong"), selection, 2) == Decimal(
        expected
    )


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (["a", "b", "c"], "2.00"),  # 5/5
        (["a", "b", "d"], "1.20"),  # a, b, e classified right: 3/5
        (["d"], "0.40"),  # only e classified right: 1/5
        (["a", "b", "c", "d", "e"], "1.20"),  # 3/5
        (["d", "e"], "0.00"),  # 0/5
    ],
)
def test_multiple_response_proportional(selection, expected):
    assert score("multiple_response", multiple("proportional"), selection, 2) == Decimal(expected)


def test_proportional_empty_selection_counts_as_unanswered():
    # [] means "unanswered" everywhere, so selecting nothing earns 0 rather than 2/5.
    assert normalise_answer("multiple_response", multiple("proportional"), []) is None
    assert grade("multiple_response", multiple("proportional"), None, 2) == Decimal("0.00")


def test_missing_or_unknown_policy_is_all_or_nothing():
    spec = multiple("generous")
    assert score("multiple_response", spec, ["a", "b"], 2) == Decimal("0.00")
    del spec["partial_credit"]
    assert score("multiple_response", spec, ["a", "b"], 2) == Decimal("0.00")
    assert score("multiple_response", spec, ["a", "b", "c"], 2) == Decimal("2.00")


@pytest.mark.parametrize(
    ("answer", "partial", "expected"),
    [
        ({"p1": "p1", "p2": "p2", "p3": "p4", "p4": "p3"}, True, "1.50"),  # 3 x 2/4
        ({"p1": "p1", "p2": "p2", "p3": "p4", "p4": "p3"}, False, "0.00"),
        ({"p1": "p1", "p2": "p2", "p3": "p3"}, True, "2.25"),  # p4 left unmatched: 3 x 3/4
        ({"p1": "p1", "p2": "p2", "p3": "p3"}, False, "0.00"),
        ({"p1": "p1", "p2": "p1", "p3": "p1", "p4": "p1"}, True, "0.75"),  # reused option
        ({"p1": "p1", "p2": "p2", "p3": "p3", "p4": "p4"}, False, "3.00"),
    ],
)
def test_matching_partial_credit(answer, partial, expected):
    assert score("matching", matching(partial), answer, 3) == Decimal(expected)


@pytest.mark.parametrize(
    ("answer", "partial", "expected"),
    [
        (["i1", "i2", "i4", "i3"], True, "1.00"),  # 2 x 2/4
        (["i1", "i2", "i4", "i3"], False, "0.00"),
        (["i2", "i1", "i3", "i4"], True, "1.00"),
        (["i1", "i3", "i2", "i4"], True, "1.00"),
        (["i4", "i1", "i2", "i3"], True, "0.00"),  # right relative order, every position wrong
        (["i1", "i2", "i3", "i4"], False, "2.00"),
    ],
)
def test_ordering_partial_credit_counts_items_in_place(answer, partial, expected):
    assert score("ordering", ordering(partial), answer, 2) == Decimal(expected)


# --------------------------------------------------------------------------------------------
# Short answers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("optional", [False, True])
@pytest.mark.parametrize(
    "answer",
    [
        "Đội  KIỂM tra liên ngành ",
        "  đội kiểm tra liên ngành",
        "Đội\tkiểm\n tra\u00a0liên ngành",
        unicodedata.normalize("NFD", PHRASE),
        unicodedata.normalize("NFD", PHRASE.upper()),
        "ĐOÀN KIỂM TRA",  # second accepted alternative
    ],
)
def test_short_answer_ignores_case_spacing_and_normal_form(answer, optional):
    assert score("short_answer", short(optional), answer) == Decimal("1.50")


@pytest.mark.parametrize(
    "answer", ["doi kiem tra lien nganh", "DOI KIEM TRA LIEN NGANH", "Đoi kiêm tra lien ngành"]
)
def test_short_answer_without_diacritics_only_when_optional(answer):  # fmt: skip
    assert score("short_answer", short(False), answer) == Decimal("0.00")
    assert score("short_answer", short(True), answer) == Decimal("1.50")


def test_diacritics_optional_matches_accepted_written_without_them():
    spec = {"accepted": ["doi kiem tra lien nganh"], "diacritics_optional": True}
    assert score("short_answer", spec, PHRASE) == Decimal("1.50")
    spec["diacritics_optional"] = False
    assert score("short_answer", spec, PHRASE) == Decimal("0.00")


@pytest.mark.parametrize("optional", [False, True])
@pytest.mark.parametrize(
    "answer",
    ["Độikiểmtraliênngành", "Đội kiểm tra liên", "Đội kiểm tra liên ngành ạ", "Đội kiểm tra"],
)
def test_short_answer_rejects_different_words(answer, optional):
    assert score("short_answer", short(optional), answer) == Decimal("0.00")


def test_short_answer_accepted_entries_are_normalised_too():
    # Trainers may paste decomposed (NFD) text, stray spaces or capitals into the accepted list.
    spec = {"accepted": ["  " + unicodedata.normalize("NFD", "ĐỘI  Kiểm tra") + "\n"]}
    assert score("short_answer", spec, "đội kiểm tra") == Decimal("1.50")
    assert score("short_answer", spec, "đội kiểmtra") == Decimal("0.00")


def test_short_answer_compares_with_casefold_not_lower():
    assert score("short_answer", {"accepted": ["Straße"]}, "STRASSE") == Decimal("1.50")


def test_short_answer_normalises_to_nfc_with_collapsed_spacing_but_keeps_case():
    raw = "  " + unicodedata.normalize("NFD", "Đội   KIỂM") + "\n"
    assert normalise_answer("short_answer", short(False), raw) == "Đội KIỂM"
    assert normalise_answer("short_answer", short(False), " \t ") is None


def test_short_answer_length_limit_is_500_characters():
    assert normalise_answer("short_answer", short(False), "x" * 500) == "x" * 500
    with pytest.raises(AnswerError):
        normalise_answer("short_answer", short(False), "x" * 501)
    # The limit applies to the string as submitted, before whitespace is collapsed.
    with pytest.raises(AnswerError):
        normalise_answer("short_answer", short(False), "x" * 499 + "  ")


# --------------------------------------------------------------------------------------------
# normalise_answer
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "spec", "raw"),
    [
        ("single_choice", SINGLE, "z"),
        ("single_choice", SINGLE, {"id": "a"}),
        ("single_choice", SINGLE, ["a"]),
        ("single_choice", SINGLE, 1),
        ("single_choice", SINGLE, True),
        ("multiple_response", multiple("proportional"), ["a", "z"]),
        ("multiple_response", multiple("proportional"), ["a", "a"]),
        ("multiple_response", multiple("proportional"), "a"),
        ("multiple_response", multiple("proportional"), [1]),
        ("multiple_response", multiple("proportional"), {"a": True}),
        ("true_false", TRUE_FALSE, "true"),
        ("true_false", TRUE_FALSE, "false"),
        ("true_false", TRUE_FALSE, 1),
        ("true_false", TRUE_FALSE, 0),
        ("true_false", TRUE_FALSE, [True]),
        ("short_answer", short(False), "x" * 501),
        ("short_answer", short(False), 42),
        ("short_answer", short(False), [PHRASE]),
        ("short_answer", short(False), True),
        ("matching", matching(True), {"p9": "p1"}),
        ("matching", matching(True), {"p1": "p9"}),
        ("matching", matching(True), {"p1": 1}),
        ("matching", matching(True), ["p1"]),
        ("matching", matching(True), "p1"),
        ("ordering", ordering(True), ["i1", "i2", "i3"]),
        ("ordering", ordering(True), ["i1", "i1", "i2", "i3"]),
        ("ordering", ordering(True), ["i1", "i2", "i3", "i4", "i1"]),
        ("ordering", ordering(True), ["i1", "i2", "i3", "i9"]),
        ("ordering", ordering(True), ["i1", "i2", "i3", 4]),
        ("ordering", ordering(True), "i1"),
        ("ordering", ordering(True), {"i1": 0}),
        ("scenario", SCENARIO, {"s9": "a"}),
        ("scenario", SCENARIO, {"s1": "a", "s9": True}),
        ("scenario", SCENARIO, {"s1": "z"}),
        ("scenario", SCENARIO, {"s2": "true"}),
        ("scenario", SCENARIO, ["s1"]),
        ("scenario", SCENARIO, "a"),
    ],
)
def test_normalise_answer_rejects_malformed_payloads(kind, spec, raw):
    with pytest.raises(AnswerError):
        normalise_answer(kind, spec, raw)


def test_answer_error_is_a_value_error_and_does_not_echo_input():
    with pytest.raises(ValueError, match="does not belong") as caught:
        normalise_answer("single_choice", SINGLE, "<script>alert(1)</script>")
    assert isinstance(caught.value, AnswerError)
    assert "<script>" not in str(caught.value)


def test_scenario_errors_name_the_part():
    with pytest.raises(AnswerError, match="s2"):
        normalise_answer("scenario", SCENARIO, {"s2": "yes"})


def test_false_is_an_answer_not_unanswered():
    assert normalise_answer("true_false", TRUE_FALSE, False) is False
    assert normalise_answer("true_false", {"correct": False}, False) is False
    assert score("true_false", {"correct": False}, False) == Decimal("1.50")


def test_multiple_response_canonical_form_is_authored_order():
    spec = multiple("proportional")
    assert normalise_answer("multiple_response", spec, ["e", "a", "c"]) == ["a", "c", "e"]


def test_matching_placeholder_values_are_unmatched():
    spec = matching(True)
    assert normalise_answer("matching", spec, {"p1": "p1", "p2": None, "p3": ""}) == {"p1": "p1"}
    assert normalise_answer("matching", spec, {"p1": None}) is None


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown question kind"):
        grade("essay", {}, "x", P)
    with pytest.raises(ValueError, match="Unknown question kind"):
        normalise_answer("essay", {}, "x")


def test_grade_never_raises_on_a_stale_answer_and_scores_it_zero():
    # Answers stored before the trainer removed choice "c" no longer fit the spec.
    spec = multiple("right_minus_wrong")
    stale = ["a", "c"]
    spec["choices"] = [c for c in spec["choices"] if c["id"] != "c"]
    assert grade("multiple_response", spec, stale, P) == Decimal("0.00")
    # In a scenario only the stale part loses its points.
    answer = {"s1": "gone", "s2": True, "s3": ["i1", "i2", "i3", "i4"]}
    assert grade("scenario", SCENARIO, answer, P) == Decimal("3.50")


def test_defensive_points_handling():
    assert max_score("true_false", TRUE_FALSE, Decimal("-1")) == Decimal("0.00")
    assert max_score("true_false", TRUE_FALSE, Decimal("NaN")) == Decimal("0.00")
    part = {"id": "s1", "kind": "true_false", "prompt": "?", "spec": TRUE_FALSE}
    assert max_score("scenario", {"parts": [part]}, P) == Decimal("1.00")  # default 1 point


# --------------------------------------------------------------------------------------------
# public_spec
# --------------------------------------------------------------------------------------------


def dump(public):
    return json.dumps(public, ensure_ascii=False)


PUBLIC_CASES = [(kind, spec) for kind, spec, *_ in CASES] + [("short_answer", short(True))]


def ready(kind, spec):
    """The spec as an attempt stores it (fresh ids; matching options with their own)."""
    return attempt_view(kind, spec, shuffle=False)[0]


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("seeded", [False, True])
@pytest.mark.parametrize(("kind", "spec"), PUBLIC_CASES)
def test_public_spec_reveals_no_correctness(kind, spec, shuffle, seeded):
    rng = random.Random(7) if seeded else None
    text = dump(public_spec(kind, ready(kind, spec), rng=rng, shuffle=shuffle))
    assert '"correct"' not in text
    assert "accepted" not in text
    assert "partial_credit" not in text
    assert "Thủ đô" not in text  # authored feedback on a choice is not whitelisted
    assert "Đội kiểm tra" not in text


def test_public_spec_shapes():
    assert public_spec("short_answer", short(False)) == {}
    assert public_spec("true_false", TRUE_FALSE) == {}
    assert public_spec("single_choice", SINGLE) == {
        "choices": [
            {"id": "a", "text": "Hà Nội"},
            {"id": "b", "text": "Huế"},
            {"id": "c", "text": "Đà Nẵng"},
        ]
    }
    scenario = public_spec("scenario", SCENARIO)
    assert scenario["vignette"] == SCENARIO["vignette"]
    assert [set(part) for part in scenario["parts"]] == [{"id", "kind", "prompt", "spec"}] * 3
    assert scenario["parts"][0]["spec"] == public_spec("single_choice", SINGLE)


@pytest.mark.parametrize(("kind", "spec"), PUBLIC_CASES)
def test_same_seed_gives_same_public_spec(kind, spec):
    spec = ready(kind, spec)
    for shuffle in (False, True):
        first = public_spec(kind, spec, rng=random.Random(42), shuffle=shuffle)
        again = public_spec(kind, spec, rng=random.Random(42), shuffle=shuffle)
        assert first == again


def test_shuffle_uses_the_rng_and_no_shuffle_keeps_authored_order():
    orders = set()
    for seed in range(30):
        public = public_spec("single_choice", SINGLE, rng=random.Random(seed), shuffle=True)
        orders.add(tuple(c["id"] for c in public["choices"]))
    assert len(orders) > 1
    unshuffled = public_spec("single_choice", SINGLE, rng=random.Random(3), shuffle=False)
    assert [c["id"] for c in unshuffled["choices"]] == ["a", "b", "c"]


@pytest.mark.parametrize("shuffle", [False, True])
def test_ordering_items_are_shown_in_a_uniformly_random_order(shuffle):
    # The stored order is the key, so no display order may be favoured or avoided: each of
    # the 6 orders of 3 items turns up about 1/6 of the time, the right one included.
    spec = {"items": [{"id": f"i{k}", "text": str(k)} for k in range(3)]}
    rng = random.Random(11)
    seen = {}
    for _ in range(1200):
        shown = public_spec("ordering", spec, rng=rng, shuffle=shuffle)["items"]
        key = tuple(item["id"] for item in shown)
        seen[key] = seen.get(key, 0) + 1
    assert len(seen) == 6
    assert all(140 <= count <= 260 for count in seen.values()), seen


def test_single_item_ordering_is_shown_as_is():
    spec = {"items": [{"id": "only", "text": "x"}]}
    assert public_spec("ordering", spec) == {"items": [{"id": "only", "text": "x"}]}


def test_matching_refuses_a_spec_whose_items_and_options_share_ids():
    # An item and its match sharing one id gave every match away (issue 10).
    with pytest.raises(ValueError, match="separate left and right ids"):
        public_spec("matching", matching(True))


@pytest.mark.parametrize("shuffle", [False, True])
def test_matching_options_have_their_own_ids_and_are_always_shuffled(shuffle):
    spec, public = attempt_view("matching", matching(True), shuffle=shuffle)
    left_ids = [o["id"] for o in public["left"]]
    right_ids = [o["id"] for o in public["right"]]
    assert not set(left_ids) & set(right_ids)
    assert {o["text"] for o in public["right"]} == {p["right"] for p in spec["pairs"]}
    if not shuffle:
        assert left_ids == [p["id"] for p in spec["pairs"]]  # items keep the author's order
    rng = random.Random(5)
    aligned = 0
    for _ in range(200):
        shown = public_spec("matching", spec, rng=rng, shuffle=shuffle)
        rights = {p["right_id"]: p["id"] for p in spec["pairs"]}
        aligned += [rights[o["id"]] for o in shown["right"]] == [o["id"] for o in shown["left"]]
    assert aligned < 30  # options line up with their items about 1 time in 4! = 24


def test_attempt_view_gives_fresh_ids_of_one_length_and_keeps_the_authored_order():
    spec = {"items": [{"id": f"i{k}", "text": str(k)} for k in range(5)], "partial_credit": True}
    first, _ = attempt_view("ordering", spec, shuffle=False)
    second, _ = attempt_view("ordering", spec, shuffle=False)
    assert [i["text"] for i in first["items"]] == ["0", "1", "2", "3", "4"]
    ids = [i["id"] for i in first["items"]] + [i["id"] for i in second["items"]]
    assert len(set(ids)) == 10
    assert {len(i) for i in ids} == {10}
    assert not {i["id"] for i in spec["items"]} & set(ids)


# --------------------------------------------------------------------------------------------
# correct_answer
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "spec", "expected"),
    [
        ("single_choice", SINGLE, "a"),
        ("multiple_response", multiple("proportional"), ["a", "b", "c"]),
        ("true_false", {"correct": False}, False),
        ("short_answer", {"accepted": ["  Đội   kiểm tra  "]}, "Đội kiểm tra"),
        ("matching", matching(False), {"p1": "p1", "p2": "p2", "p3": "p3", "p4": "p4"}),
        ("ordering", ordering(False), ["i1", "i2", "i3", "i4"]),
        ("scenario", SCENARIO, {"s1": "a", "s2": True, "s3": ["i1", "i2", "i3", "i4"]}),
    ],
)
def test_correct_answer_values(kind, spec, expected):
    answer = correct_answer(kind, spec)
    assert answer == expected
    assert json.loads(json.dumps(answer)) == answer


# --------------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------------

IDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=5)
VI_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậếềểễệíìóòỏõọốồổỗộớờởỡợúùủũụứừửữựýĐÂÊÔƯ"
TEXT = st.text(alphabet=VI_LETTERS + " ", max_size=12)
PHRASES = st.text(alphabet=VI_LETTERS + " \t", min_size=1, max_size=30).filter(str.strip)
ANY_BOOL = st.booleans()
POINTS = st.decimals(
    min_value=Decimal(0), max_value=Decimal(50), places=3, allow_nan=False, allow_infinity=False
)


def unique_ids(min_size, max_size):
    return st.lists(IDS, min_size=min_size, max_size=max_size, unique=True)


@st.composite
def single_choice_specs(draw):
    ids = draw(unique_ids(2, 6))
    right = draw(st.sampled_from(ids))
    return {"choices": [{"id": i, "text": draw(TEXT), "correct": i == right} for i in ids]}


@st.composite
def multiple_response_specs(draw, policies=("all_or_nothing", "right_minus_wrong", "proportional")):
    ids = draw(unique_ids(1, 7))
    flags = draw(st.lists(st.booleans(), min_size=len(ids), max_size=len(ids)))
    if not any(flags):
        flags[draw(st.integers(0, len(ids) - 1))] = True
    return {
        "choices": [
            {"id": i, "text": draw(TEXT), "correct": f} for i, f in zip(ids, flags, strict=True)
        ],
        "partial_credit": draw(st.sampled_from(policies)),
    }


@st.composite
def short_answer_specs(draw):
    return {
        "accepted": draw(st.lists(PHRASES, min_size=1, max_size=3)),
        "diacritics_optional": draw(st.booleans()),
    }


@st.composite
def matching_specs(draw, partial=ANY_BOOL):
    ids = draw(unique_ids(1, 6))
    return {
        "pairs": [{"id": i, "left": draw(TEXT), "right": draw(TEXT)} for i in ids],
        "partial_credit": draw(partial),
    }


@st.composite
def ordering_specs(draw, partial=ANY_BOOL):
    ids = draw(unique_ids(1, 6))
    return {
        "items": [{"id": i, "text": draw(TEXT)} for i in ids],
        "partial_credit": draw(partial),
    }


PART_QUESTIONS = st.one_of(
    st.tuples(st.just("single_choice"), single_choice_specs()),
    st.tuples(st.just("multiple_response"), multiple_response_specs()),
    st.tuples(st.just("true_false"), st.fixed_dictionaries({"correct": st.booleans()})),
    st.tuples(st.just("short_answer"), short_answer_specs()),
    st.tuples(st.just("matching"), matching_specs()),
    st.tuples(st.just("ordering"), ordering_specs()),
)


@st.composite
def scenario_specs(draw):
    ids = draw(unique_ids(1, 3))
    parts = []
    for part_id in ids:
        kind, spec = draw(PART_QUESTIONS)
        points = draw(POINTS)
        parts.append(
            {"id": part_id, "kind": kind, "prompt": draw(TEXT), "spec": spec, "points": str(points)}
        )
    return {"vignette": "<p>" + draw(TEXT) + "</p>", "parts": parts}


QUESTIONS = st.one_of(PART_QUESTIONS, st.tuples(st.just("scenario"), scenario_specs()))


def raw_answers(kind, spec):
    """A strategy of valid (possibly unanswered) raw answers for the question."""
    if kind == "single_choice":
        return st.none() | st.sampled_from([c["id"] for c in spec["choices"]])
    if kind == "multiple_response":
        return st.lists(st.sampled_from([c["id"] for c in spec["choices"]]), unique=True)
    if kind == "true_false":
        return st.none() | st.booleans()
    if kind == "short_answer":
        return st.sampled_from(spec["accepted"]) | TEXT
    if kind == "matching":
        ids = [p["id"] for p in spec["pairs"]]
        return st.dictionaries(st.sampled_from(ids), st.sampled_from(ids))
    if kind == "ordering":
        return st.none() | st.permutations([i["id"] for i in spec["items"]])
    return st.fixed_dictionaries(
        {}, optional={p["id"]: raw_answers(p["kind"], p["spec"]) for p in spec["parts"]}
    )


def permuted(draw, kind, spec):
    """The same question with its choices/pairs/accepted/parts listed in another order."""
    spec = dict(spec)
    if kind in ("single_choice", "multiple_response"):
        spec["choices"] = draw(st.permutations(spec["choices"]))
    elif kind == "matching":
        spec["pairs"] = draw(st.permutations(spec["pairs"]))
    elif kind == "short_answer":
        spec["accepted"] = draw(st.permutations(spec["accepted"]))
    elif kind == "scenario":
        parts = [{**p, "spec": permuted(draw, p["kind"], p["spec"])} for p in spec["parts"]]
        spec["parts"] = draw(st.permutations(parts))
    # ordering: the list order *is* the correct answer, so it is left alone.
    return spec


@PROPERTY
@given(question=QUESTIONS, points=POINTS, data=st.data())
def test_property_grade_is_between_zero_and_max_score(question, points, data):
    kind, spec = question
    answer = normalise_answer(kind, spec, data.draw(raw_answers(kind, spec)))
    result = grade(kind, spec, answer, points)
    assert Decimal(0) <= result <= max_score(kind, spec, points)
    assert result == result.quantize(Decimal("0.01"))


@PROPERTY
@given(question=QUESTIONS, points=POINTS, data=st.data())
def test_property_listing_order_never_changes_a_score(question, points, data):
    kind, spec = question
    answer = normalise_answer(kind, spec, data.draw(raw_answers(kind, spec)))
    reordered = permuted(data.draw, kind, spec)
    assert grade(kind, reordered, answer, points) == grade(kind, spec, answer, points)
    assert max_score(kind, reordered, points) == max_score(kind, spec, points)


@PROPERTY
@given(
    spec=multiple_response_specs(policies=("right_minus_wrong", "proportional")),
    points=POINTS,
    data=st.data(),
)
def test_property_multiple_response_adding_choices_is_monotone(spec, points, data):
    ids = [c["id"] for c in spec["choices"]]
    correct = {c["id"] for c in spec["choices"] if c["correct"]}
    # Non-empty: an empty selection is "unanswered" (0) even where proportional would give more.
    base = data.draw(st.lists(st.sampled_from(ids), unique=True, min_size=1))
    before = score("multiple_response", spec, base, points)
    unselected = [i for i in ids if i not in base]
    assume(unselected)
    extra = data.draw(st.sampled_from(unselected))
    after = score("multiple_response", spec, [*base, extra], points)
    if extra in correct:
        assert after >= before
    else:
        assert after <= before


@PROPERTY
@given(spec=matching_specs(partial=st.just(True)), points=POINTS, data=st.data())
def test_property_matching_fixing_a_pair_never_lowers_the_score(spec, points, data):
    ids = [p["id"] for p in spec["pairs"]]
    answer = data.draw(st.dictionaries(st.sampled_from(ids), st.sampled_from(ids)))
    wrong = [i for i in ids if answer.get(i) != i]
    assume(wrong)
    pair_id = data.draw(st.sampled_from(wrong))
    fixed = {**answer, pair_id: pair_id}
    assert score("matching", spec, fixed, points) >= score("matching", spec, answer, points)


@PROPERTY
@given(spec=ordering_specs(partial=st.just(True)), points=POINTS, data=st.data())
def test_property_ordering_fixing_a_position_never_lowers_the_score(spec, points, data):
    correct = [i["id"] for i in spec["items"]]
    answer = list(data.draw(st.permutations(correct)))
    wrong = [pos for pos, item in enumerate(answer) if item != correct[pos]]
    assume(wrong)
    pos = data.draw(st.sampled_from(wrong))
    fixed = list(answer)
    other = fixed.index(correct[pos])
    fixed[pos], fixed[other] = fixed[other], fixed[pos]
    assert score("ordering", spec, fixed, points) >= score("ordering", spec, answer, points)


@PROPERTY
@given(question=QUESTIONS, points=POINTS)
def test_property_correct_answer_scores_max(question, points):
    kind, spec = question
    assert grade(kind, spec, correct_answer(kind, spec), points) == max_score(kind, spec, points)


@PROPERTY
@given(question=QUESTIONS)
def test_property_correct_answer_round_trips_through_normalise_and_json(question):
    kind, spec = question
    answer = correct_answer(kind, spec)
    assert answer is not None
    assert normalise_answer(kind, spec, answer) == answer
    assert json.loads(json.dumps(answer)) == answer


@PROPERTY
@given(question=QUESTIONS, data=st.data())
def test_property_normalise_is_idempotent(question, data):
    kind, spec = question
    once = normalise_answer(kind, spec, data.draw(raw_answers(kind, spec)))
    assert normalise_answer(kind, spec, once) == once


def keys_in(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from keys_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys_in(inner)


@PROPERTY
@given(question=QUESTIONS, seed=st.integers(0, 2**32), shuffle=st.booleans())
def test_property_public_spec_hides_answers(question, seed, shuffle):
    kind, spec = question
    spec = ready(kind, spec)
    public = public_spec(kind, spec, rng=random.Random(seed), shuffle=shuffle)
    allowed = {"choices", "left", "right", "items", "vignette", "parts", "id", "kind", "prompt"}
    assert set(keys_in(public)) <= allowed | {"text", "spec"}
    assert public == public_spec(kind, spec, rng=random.Random(seed), shuffle=shuffle)


@PROPERTY
@given(question=QUESTIONS, shuffle=st.booleans())
def test_property_an_attempts_key_scores_max_and_its_ids_are_all_new(question, shuffle):
    kind, authored = question
    spec, _ = attempt_view(kind, authored, shuffle=shuffle)
    assert grade(kind, spec, correct_answer(kind, spec), P) == max_score(kind, spec, P)
    assert max_score(kind, spec, P) == max_score(kind, authored, P)
    new_ids = list(ids_in(spec))
    assert len(new_ids) == len(set(new_ids))
    assert not set(new_ids) & set(ids_in(authored))


def ids_in(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("id", "right_id") and isinstance(inner, str):
                yield inner
            else:
                yield from ids_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from ids_in(inner)
