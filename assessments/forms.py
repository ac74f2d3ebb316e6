"""Turns the attempt form (and its autosave, which posts the same form) into raw answers
for assessments.grading.normalise_answer, keyed by attempt item id."""

from django.http import QueryDict

PREFIX = "q-"


def _raw(kind: str, public: dict, name: str, data: QueryDict):
    if kind == "single_choice":
        return data.get(name) or None
    if kind == "multiple_response":
        return data.getlist(name) or None
    if kind == "true_false":
        value = data.get(name)
        return {"true": True, "false": False}.get(value, value or None)
    if kind == "short_answer":
        return data.get(name, "") or None
    if kind == "matching":
        chosen = {
            left["id"]: data.get(f"{name}-{left['id']}")
            for left in public["left"]
            if data.get(f"{name}-{left['id']}")
        }
        return chosen or None
    if kind == "ordering":
        positions = {}
        for item in public["items"]:
            value = data.get(f"{name}-{item['id']}", "")
            if value.strip():
                positions[item["id"]] = value
        if not positions:
            return None
        try:
            ranked = sorted(positions, key=lambda item_id: int(positions[item_id]))
        except ValueError:
            return ["?"]  # not numbers: refused by the grader's validation
        numbers = sorted(int(v) for v in positions.values())
        if numbers != list(range(1, len(public["items"]) + 1)):
            return [*ranked, *ranked[:1]]  # duplicate or missing places: refused likewise
        return ranked
    if kind == "scenario":
        parts = {
            part["id"]: _raw(part["kind"], part["spec"], f"{name}-{part['id']}", data)
            for part in public["parts"]
        }
        return {k: v for k, v in parts.items() if v is not None} or None
    return None


def answers_from_post(items, data: QueryDict) -> dict[str, object]:
    known = {str(item.pk) for item in items}
    answers: dict[str, object] = {
        item_id: data.get(key)
        for key in data
        if key.startswith(PREFIX) and (item_id := key[len(PREFIX) :].split("-", 1)[0]) not in known
    }
    for item in items:
        answers[str(item.pk)] = _raw(item.kind, item.public, f"{PREFIX}{item.pk}", data)
    return answers
