"""Attempts still open when issue 10 shipped were started with the old presentation: a
matching item and its match shared one id, and ordering items were shown rotated. Give
their matching options ids of their own (keeping the answers saved so far) and show their
ordering items in a fresh random order, so nobody can finish them by reading the page."""

import random
import secrets

from django.db import migrations


def _token(used: set) -> str:
    while True:
        token = secrets.token_hex(5)
        if token not in used:
            used.add(token)
            return token


def _ids(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("id", "right_id") and isinstance(inner, str):
                yield inner
            else:
                yield from _ids(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _ids(inner)


def _rekey(kind: str, spec: dict, public: dict, answer, used: set, rng):
    if kind == "matching" and isinstance(spec.get("pairs"), list):
        pairs = [p for p in spec["pairs"] if isinstance(p, dict) and "id" in p]
        if all("right_id" in p for p in pairs):
            return spec, public, answer
        new_ids = {p["id"]: _token(used) for p in pairs}
        spec = {**spec, "pairs": [{**p, "right_id": new_ids[p["id"]]} for p in pairs]}
        right = [{"id": new_ids[p["id"]], "text": p.get("right", "")} for p in pairs]
        rng.shuffle(right)
        public = {**public, "right": right}
        if isinstance(answer, dict):
            answer = {left: new_ids.get(right_id, right_id) for left, right_id in answer.items()}
        return spec, public, answer
    if kind == "ordering" and isinstance(public.get("items"), list):
        items = list(public["items"])
        rng.shuffle(items)
        return spec, {**public, "items": items}, answer
    if kind == "scenario" and isinstance(spec.get("parts"), list):
        answers = answer if isinstance(answer, dict) else {}
        shown = {p["id"]: p for p in public.get("parts", []) if isinstance(p, dict) and "id" in p}
        parts, public_parts = [], []
        for part in spec["parts"]:
            view = shown.get(part.get("id"), {})
            part_spec, part_public, part_answer = _rekey(
                part.get("kind"), part.get("spec") or {}, view.get("spec") or {},
                answers.get(part.get("id")), used, rng,
            )
            parts.append({**part, "spec": part_spec})
            if view:
                public_parts.append({**view, "spec": part_public})
            if part.get("id") in answers:
                answers = {**answers, part["id"]: part_answer}
        return (
            {**spec, "parts": parts},
            {**public, "parts": public_parts},
            answers if isinstance(answer, dict) else answer,
        )
    return spec, public, answer


def rekey_open_attempts(AttemptItem) -> int:
    rng = random.SystemRandom()
    changed = []
    items = AttemptItem.objects.filter(
        attempt__status="in_progress", kind__in=["matching", "ordering", "scenario"]
    )
    for item in items.iterator():
        used = set(_ids(item.spec))
        spec, public, answer = _rekey(item.kind, item.spec, item.public, item.answer, used, rng)
        if (spec, public, answer) != (item.spec, item.public, item.answer):
            item.spec, item.public, item.answer = spec, public, answer
            changed.append(item)
    AttemptItem.objects.bulk_update(changed, ["spec", "public", "answer"], batch_size=500)
    return len(changed)


def forwards(apps, schema_editor):
    rekey_open_attempts(apps.get_model("assessments", "AttemptItem"))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
