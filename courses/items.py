"""Admin objects that belong to someone besides courses: the question bank's questions, H5P
activities, a course's certificate template, a training session.

Each app registers a rule (`register_item_rule`): who may open one object of a model in the
admin. The guard (courses.middleware) applies the rule to every admin URL that names such
an object — the viewset's own views (edit, delete, copy, history, usage, inspect…), its
chooser's "chosen" view, Wagtail's bulk actions and any extra view an app names — before
the view runs, and tells the trainer plainly that the object is not theirs. Listings and
choosers filter with the app's own selector, so a trainer never sees what they may not
open. Administrators (and superusers) keep everything.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ItemRule:
    model: type
    may_open: Callable  # (user, obj) -> bool
    namespaces: tuple[str, ...] = ()
    # Extra views naming an object of this model: view name -> URL argument.
    views: dict[str, str] = field(default_factory=dict)


_RULES: list[ItemRule] = []


def register_item_rule(model, may_open, *, namespaces=(), views=None) -> None:
    """`namespaces` are the URL namespaces of the model's admin viewsets; a snippet's own
    and its chooser's are added here."""
    label = f"{model._meta.app_label}_{model._meta.model_name}"
    names = (f"wagtailsnippets_{label}", f"wagtailsnippetchoosers_{label}", *namespaces)
    _RULES[:] = [rule for rule in _RULES if rule.model is not model]
    _RULES.append(ItemRule(model, may_open, tuple(names), dict(views or {})))


def is_administrator(user) -> bool:
    """Administrators keep every object, whoever made it."""
    from .services import may_manage_course_owners

    return may_manage_course_owners(user)


def _rule_for(match, kwargs) -> tuple[ItemRule | None, list]:
    """The rule and the object ids a resolved admin URL names (none if it names none)."""
    for rule in _RULES:
        if match.view_name in rule.views:
            value = kwargs.get(rule.views[match.view_name])
            return (rule, [value]) if value is not None else (None, [])
        if match.namespace in rule.namespaces and kwargs.get("pk") is not None:
            return rule, [kwargs["pk"]]
    return None, []


def _bulk_rule(kwargs) -> ItemRule | None:
    for rule in _RULES:
        meta = rule.model._meta
        if (kwargs.get("app_label"), kwargs.get("model_name")) == (meta.app_label, meta.model_name):
            return rule
    return None


def refused_object(request, match, kwargs) -> str | None:
    """The name of the first object this admin URL names that the user may not open, or
    None. A bulk action over "all" objects counts as naming every one."""
    from django.contrib.admin.utils import unquote

    if match.view_name == "wagtail_bulk_action":
        rule = _bulk_rule(kwargs)
        if rule is None:
            return None
        ids = request.GET.getlist("id")
        if "all" in ids:
            if is_administrator(request.user):
                return None
            return str(rule.model._meta.verbose_name_plural)
        values = ids
    else:
        rule, values = _rule_for(match, kwargs)
        if rule is None:
            return None
    pks = []
    for value in values:
        text = unquote(str(value))
        if not text.isdigit():
            return None  # not an object id: the view answers 404 itself
        pks.append(int(text))
    for obj in rule.model._default_manager.filter(pk__in=pks):
        if not rule.may_open(request.user, obj):
            return str(obj)
    return None


def owned_or_shared(user, item) -> bool:
    """A question or H5P activity (content.ownership): its author's, every trainer's once
    shared, and administrators' always."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(item.shared or item.owner_id == user.pk or is_administrator(user))


def owned_or_shared_items(user, queryset):
    """Those items of `queryset` that `user` may see and edit (one query, no loop)."""
    from django.db.models import Q

    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if is_administrator(user):
        return queryset
    return queryset.filter(Q(shared=True) | Q(owner=user))


def assignment_open_to(user, assignment) -> bool:
    """An assignment of a course is its owners' (and administrators') to change; one of a
    learning path is every trainer's (paths have no owners)."""
    from .selectors import user_manages_course

    if assignment.course_id is None or is_administrator(user):
        return True
    return user_manages_course(user=user, course=assignment.course)
