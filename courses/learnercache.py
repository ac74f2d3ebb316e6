"""Versions for caches of what one trainee's own pages show (the dashboard).

A cached per-user part is stored under `learner_version(user_id)`, which joins three
values: the trainee's own version (bumped when their enrolments, progress, position, profile
or groups change: `learner_changed`), the learning-structure generation (bumped when an
assignment, a learning path or an organisation changes, which can reach many trainees at
once: `structure_changed`) and the content generation of content.rendercache (a course
published, unpublished, moved or deleted). A bump makes the old entries unreachable; they
expire by themselves. Database writes bump after their commit, so no reader can cache the
old rows under the new version; they bump at once too, so a change is seen within its own
transaction (and in tests, which never commit). The key always carries the user's id: one trainee's
cached part can never be served to another.
"""

from __future__ import annotations

from ops import requestcache, versions

USER_KEY = "courses:learner-version:{}"
STRUCTURE_KEY = "courses:learning-structure-generation"
PROGRESS_KEY = "courses:progress-version:{}"
PROGRESS_ENTRY_KEY = "courses:progress:{}"  # courses.selectors.enrolment_progress


def prefetch_keys(user_id: int) -> list[str]:
    """What a signed-in page of the trainee reads (ops.requestcache): the progress version
    and entry (lesson and course pages), the learner version (the dashboard)."""
    return [
        PROGRESS_KEY.format(user_id),
        PROGRESS_ENTRY_KEY.format(user_id),
        USER_KEY.format(user_id),
        STRUCTURE_KEY,
    ]


def learner_version(user_id: int) -> str:
    """The version of everything the trainee's dashboard shows (one cache round trip)."""
    from content.rendercache import GENERATION_KEY, generation

    user_key = USER_KEY.format(user_id)
    values = versions.fill(
        requestcache.get_many([user_key, STRUCTURE_KEY, GENERATION_KEY]), (user_key, STRUCTURE_KEY)
    )
    content = values.get(GENERATION_KEY) or generation()
    return f"{values[user_key]}.{values[STRUCTURE_KEY]}.{content}"


def progress_version_with(user_id: int, key: str) -> tuple[str, object]:
    """The version of the trainee's enrolment rows and completed steps alone, and the cached
    value of `key`, in one cache round trip (the content generation, also in the version,
    is read once per request anyway). Bumped when an enrolment of theirs is saved or
    deleted, which every step completed, course restarted or left does, or a flush writes
    their position. Not by a lesson opened (their learner version is, for the dashboard),
    so a trainee moving from lesson to lesson keeps their entries; courses.positions
    overlays the position on every read."""
    from content.rendercache import generation

    version_key = PROGRESS_KEY.format(user_id)
    found = versions.fill(requestcache.get_many([version_key, key]), (version_key,))
    return f"{found[version_key]}.{generation()}", found.get(key)


def learner_changed(user_id: int | None) -> None:
    """The trainee's own learning changed: a new version now and after the commit of the
    running transaction."""
    if user_id is not None:
        versions.bump(USER_KEY.format(user_id))


def structure_changed(**_ignored) -> None:
    """An assignment, learning path or organisation changed (a signal receiver too)."""
    versions.bump(STRUCTURE_KEY)


def progress_changed(user_id: int | None) -> None:
    """The trainee's enrolment rows or completed steps changed (and so their learning)."""
    if user_id is not None:
        versions.bump(PROGRESS_KEY.format(user_id))
        learner_changed(user_id)


def on_learner_row_changed(sender, instance, **kwargs) -> None:
    """post_save/post_delete of a row that belongs to one trainee (an enrolment)."""
    progress_changed(getattr(instance, "user_id", None))


def on_user_changed(sender, instance, **kwargs) -> None:
    """post_save of a user: their role, organisation or join date decide what is assigned."""
    learner_changed(instance.pk)


def on_groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """m2m_changed of User.groups, from either side."""
    if not action.startswith("post_"):
        return
    if not reverse:
        learner_changed(instance.pk)
    elif action == "post_clear" or not pk_set:
        structure_changed()  # a group emptied: whom it reached is not known any more
    else:
        for user_id in pk_set:
            learner_changed(user_id)
