"""Scenario group "peer": a peer Wagtail LMS (wagtail-lms) under the same gunicorn settings,
for a side-by-side lesson and course page. Its code is never part of this repository: pass
the path of a checkout with --peer; without it the group is skipped."""

from __future__ import annotations

from .core import Context, Group, Scenario


def unavailable(ctx: Context) -> str | None:
    if not ctx.options.peer:
        return "no --peer PATH (a wagtail-lms checkout) given"
    return "the peer comparison is not built yet"


def scenarios(ctx: Context, data: dict) -> list[Scenario]:
    return []


GROUP = Group(name="peer", scenarios=scenarios, unavailable=unavailable)
