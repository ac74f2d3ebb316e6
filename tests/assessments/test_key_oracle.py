"""No key in the page, for any question type (issue 10, point 1).

Property-based: for each question type, hypothesis authors many questions the way a
careless trainer would (the correct choice first, pairs and items in the author's order),
each is presented many times as a fresh attempt, and every attack strategy in
``key_oracle`` — seeing only the rendered question and its public payload — must score no
better than a random answer, within the Hoeffding tolerance stated there (about 0.1 of the
maximum for the pooled presentations of one type; false alarm below one in a million).
"""

import random
import re
import secrets

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import grading

from .key_oracle import leaks, oracle_run

pytestmark = pytest.mark.usefixtures("vietnamese")

EXAMPLES = 15  # authored questions per type
PRESENTATIONS = 30  # fresh attempts of each


def present(kind: str, spec: dict, shuffle: bool) -> tuple[dict, dict]:
    """What an attempt stores and shows, exactly as attempt_start builds it."""
    return grading.attempt_view(kind, spec, shuffle=shuffle)


# --------------------------------------------------------------------------------------------
# Authored questions, shaped like the blocks' to_spec() output (positional ids)
# --------------------------------------------------------------------------------------------

WORDS = st.text(
    alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậ ", min_size=1, max_size=24
).map(lambda s: s.strip() or "x")
KEYWORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=6, max_size=12)


@st.composite
def choice_spec(draw, kind: str, shuffle: bool):
    k = draw(st.integers(2, 6))
    if kind == "single_choice":
        correct = {0} if shuffle else {draw(st.integers(0, k - 1))}
    else:
        m = draw(st.integers(1, k))
        shuffled_away = draw(st.sets(st.integers(0, k - 1), min_size=1))
        correct = set(range(m)) if shuffle else shuffled_away
    spec = {
        "choices": [{"id": f"c{i}", "text": draw(WORDS), "correct": i in correct} for i in range(k)]
    }
    if kind == "multiple_response":
        spec["partial_credit"] = draw(
            st.sampled_from(["all_or_nothing", "right_minus_wrong", "proportional"])
        )
    return spec


@st.composite
def matching_spec(draw):
    n = draw(st.integers(2, 6))
    rights = draw(st.lists(WORDS, min_size=n, max_size=n, unique_by=str.casefold))
    return {
        "pairs": [{"id": f"p{i}", "left": draw(WORDS), "right": rights[i]} for i in range(n)],
        "partial_credit": draw(st.booleans()),
    }


@st.composite
def ordering_spec(draw):
    n = draw(st.integers(2, 6))
    return {
        "items": [{"id": f"i{i}", "text": draw(WORDS)} for i in range(n)],
        "partial_credit": draw(st.booleans()),
    }


def authored(kind: str, shuffle: bool):
    if kind in ("single_choice", "multiple_response"):
        return choice_spec(kind, shuffle)
    if kind == "true_false":
        return st.fixed_dictionaries({"correct": st.booleans()})
    if kind == "short_answer":
        return st.fixed_dictionaries(
            {
                "accepted": st.lists(KEYWORDS, min_size=1, max_size=3),
                "diacritics_optional": st.booleans(),
            }
        )
    if kind == "matching":
        return matching_spec()
    if kind == "ordering":
        return ordering_spec()
    return scenario_spec(shuffle)


PART_KINDS = [
    "single_choice",
    "multiple_response",
    "true_false",
    "short_answer",
    "matching",
    "ordering",
]


@st.composite
def scenario_spec(draw, shuffle: bool):
    parts = []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(PART_KINDS))
        parts.append(
            {
                "id": f"s{i}",
                "kind": kind,
                "prompt": draw(WORDS),
                "spec": draw(authored(kind, shuffle)),
                "points": draw(st.sampled_from(["0.5", "1", "2"])),
            }
        )
    return {"vignette": "<p>Tình huống</p>", "parts": parts}


@st.composite
def questions(draw, kind: str):
    shuffle = draw(st.booleans())
    return shuffle, draw(authored(kind, shuffle))


# --------------------------------------------------------------------------------------------
# The property
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [*PART_KINDS, "scenario"])
def test_no_strategy_that_reads_the_page_beats_a_random_answer(kind):
    pooled = {}
    rng = random.Random(secrets.randbits(32))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(question=questions(kind))
    def run(question):
        shuffle, spec = question
        tallies = oracle_run(
            present, kind, spec, shuffle=shuffle, presentations=PRESENTATIONS, rng=rng
        )
        # A blatant leak fails on its own question, so hypothesis shrinks it to the simplest.
        assert not leaks(tallies, delta=1e-9), (spec, shuffle)
        for name, tally in tallies.items():
            pooled.setdefault(name, type(tally)()).trials += tally.trials
            pooled[name].advantage += tally.advantage

    run()
    assert not leaks(pooled), {name: round(t.mean, 3) for name, t in pooled.items()}


# --------------------------------------------------------------------------------------------
# The oracle can fail: it catches the matching leak of issue 10
# --------------------------------------------------------------------------------------------


def legacy_matching(kind: str, spec: dict, shuffle: bool) -> tuple[dict, dict]:
    """Matching as it was before issue 10: one random id per pair, used by the item (the
    select's name) and by its match (the option's value)."""
    server, _ = grading.attempt_view(kind, spec, shuffle=shuffle)
    server["pairs"] = [{k: v for k, v in p.items() if k != "right_id"} for p in server["pairs"]]
    rng = random.SystemRandom()
    left = [{"id": p["id"], "text": p["left"]} for p in server["pairs"]]
    right = [{"id": p["id"], "text": p["right"]} for p in server["pairs"]]
    rng.shuffle(right)
    return server, {"left": left, "right": right}


def test_the_oracle_catches_an_item_sharing_its_id_with_its_match():
    """Run on main before this change (commit c9a14a0, with the presenter above pointed at
    the old ``services._tokenised`` + ``grading.public_spec``), the property test failed for
    matching with {'name/value equality': 0.833, 'id prefix': 0.833, 'sorted ids': 0.833,
    'DOM position': 0.833} over a tolerance of 0.588 on a three-pair question (the old
    alphabetical right-hand column lined up with 'a', 'aa', 'aaa'), and for ordering with
    'rotation by +1' at 0.154 over 0.124 (the old "never the right order" rotation)."""
    rng = random.Random(3)
    spec = {
        "pairs": [{"id": f"p{i}", "left": f"Mục {i}", "right": f"Ý {i}"} for i in range(4)],
        "partial_credit": True,
    }
    found = leaks(
        oracle_run(legacy_matching, "matching", spec, shuffle=True, presentations=20, rng=rng)
    )
    assert found["name/value equality"][0] == pytest.approx(0.75)  # full marks vs 1/4
    assert not leaks(oracle_run(present, "matching", spec, shuffle=True, presentations=20, rng=rng))


# --------------------------------------------------------------------------------------------
# Regression: the exact leak, through the real attempt page on PostgreSQL
# --------------------------------------------------------------------------------------------

LEAKY_SPEC = {
    "pairs": [
        {"left": "Tội chứa mại dâm", "right": "Điều 327"},
        {"left": "Tội môi giới mại dâm", "right": "Điều 328"},
        {"left": "Tội mua dâm người dưới 18 tuổi", "right": "Điều 329"},
        {"left": "Tội mua bán người dưới 16 tuổi", "right": "Điều 151"},
    ],
    "partial_credit": True,
}


@pytest.mark.django_db
@pytest.mark.parametrize("shuffle", [False, True])
def test_a_matching_select_never_offers_an_option_named_like_itself(
    client, trainee, home_page, shuffle
):
    from assessments.models import Attempt
    from courses.services import enrolment_create
    from tests.factories.assessments import question_create, quiz_create
    from tests.factories.courses import catalogue_create, course_create

    course, _ = course_create(catalogue_create(home_page), code="PCMD-M1", lessons=1)
    quiz = quiz_create(course, [question_create("q-match", "matching", LEAKY_SPEC)])
    quiz.shuffle_choices = shuffle
    quiz.save()
    enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    client.post(f"/quiz/{quiz.pk}/start/")
    attempt = Attempt.objects.get(user=trainee)
    item = attempt.items.get()
    page = client.get(f"/quiz/attempts/{attempt.pk}/").content.decode()

    selects = re.findall(r'<select[^>]*name="(q-\d+-([0-9a-f]+))"', page)
    options = set(re.findall(r'<option value="([0-9a-f]+)"', page))
    assert len(selects) == 4 and len(options) == 4
    assert not {left for _, left in selects} & options
    assert all(p["right_id"] != p["id"] for p in item.spec["pairs"])

    # The attack of the issue: in each select, choose the option that carries its own id.
    attack = {name: left for name, left in selects if left in options}
    client.post(f"/quiz/attempts/{attempt.pk}/submit/", attack)
    attempt.refresh_from_db()
    assert attempt.status == "graded"
    assert attempt.score == 0


@pytest.mark.django_db
def test_attempts_left_open_with_the_old_shared_ids_are_rekeyed_keeping_their_answers(
    trainee, home_page
):
    import importlib

    from assessments.models import AttemptItem
    from assessments.services import attempt_start
    from courses.services import enrolment_create
    from tests.factories.assessments import question_create, quiz_create
    from tests.factories.courses import catalogue_create, course_create

    migration = importlib.import_module("assessments.migrations.0002_rekey_open_attempts")
    course, _ = course_create(catalogue_create(home_page), code="PCMD-M2", lessons=1)
    quiz = quiz_create(course, [question_create("q-match", "matching", LEAKY_SPEC)])
    enrolment_create(user=trainee, course=course)
    item = attempt_start(user=trainee, quiz=quiz).items.get()
    # Turn it into an attempt started before the fix, with two answers saved.
    pairs = [{k: v for k, v in p.items() if k != "right_id"} for p in item.spec["pairs"]]
    item.spec = {**item.spec, "pairs": pairs}
    item.public = {
        "left": [{"id": p["id"], "text": p["left"]} for p in pairs],
        "right": [{"id": p["id"], "text": p["right"]} for p in pairs],
    }
    item.answer = {pairs[0]["id"]: pairs[0]["id"], pairs[1]["id"]: pairs[2]["id"]}
    item.save()

    assert migration.rekey_open_attempts(AttemptItem) == 1
    assert migration.rekey_open_attempts(AttemptItem) == 0  # idempotent
    item.refresh_from_db()
    left_ids = {o["id"] for o in item.public["left"]}
    right_ids = {o["id"] for o in item.public["right"]}
    assert not left_ids & right_ids
    assert right_ids == {p["right_id"] for p in item.spec["pairs"]}
    spec_pairs = item.spec["pairs"]
    assert item.answer == {
        spec_pairs[0]["id"]: spec_pairs[0]["right_id"],  # still right
        spec_pairs[1]["id"]: spec_pairs[2]["right_id"],  # still wrong
    }
    assert grading.grade("matching", item.spec, item.answer, item.points) == item.points / 4
