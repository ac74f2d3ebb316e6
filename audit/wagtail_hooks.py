"""The audit log in the Wagtail admin: read-only, filterable, for administrators."""

import django_filters
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .actions import ACTION_LABELS, action_label
from .models import AuditAnchor, AuditEntry


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Viewing needs the model's "view" permission; nothing else is allowed to anyone,
    superusers included."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(["view"])


register_permission_policy(AuditEntry, ReadOnlyPolicy(AuditEntry))
register_permission_policy(AuditAnchor, ReadOnlyPolicy(AuditAnchor))


class AuditEntryFilterSet(WagtailFilterSet):
    action = django_filters.MultipleChoiceFilter(
        label=_("Action"), choices=sorted(ACTION_LABELS.items(), key=lambda item: str(item[1]))
    )
    actor_label = django_filters.CharFilter(label=_("By"), lookup_expr="icontains")
    target_label = django_filters.CharFilter(label=_("Object"), lookup_expr="icontains")
    at = django_filters.DateFromToRangeFilter(label=_("Time"))

    class Meta:
        model = AuditEntry
        fields = ["action", "actor_label", "target_label", "at"]


class _ReadOnlyViewSet(ModelViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_admin_menu = False
    search_backend_name = None

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add_url_name", "edit_url_name", "delete_url_name", "copy_url_name"):
            view_kwargs[name] = None
        return view_kwargs

    def get_urlpatterns(self):
        # No add, edit, delete, copy, history or usage routes at all: a superuser's
        # all-permissions pass cannot reach a form that writes to the log.
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
        ]


class AuditEntryIndexView(IndexView):
    @cached_property
    def header_more_buttons(self):
        # The export (exports app, which sits above this one) keeps the screen's filters.
        query = self.request.GET.copy()
        query.pop("p", None)
        suffix = f"?{query.urlencode()}" if query else ""
        return [
            *super().header_more_buttons,
            *(
                Button(
                    label,
                    url=reverse("exports_audit_log", args=[fmt]) + suffix,
                    icon_name="download",
                    priority=90 + i,
                )
                for i, (fmt, label) in enumerate(
                    (("xlsx", _("Download XLSX")), ("csv", _("Download CSV")))
                )
            ),
        ]


class AuditEntryViewSet(_ReadOnlyViewSet):
    model = AuditEntry
    index_view_class = AuditEntryIndexView
    icon = "history"
    menu_label = _("Audit log")
    menu_order = 100
    filterset_class = AuditEntryFilterSet
    search_fields = ["summary", "actor_label", "target_label", "action", "ip"]
    list_display = [
        Column("seq", label="#", sort_key="seq"),
        DateColumn("at", label=_("Time"), sort_key="at"),
        Column("action_text", label=_("Action"), accessor=lambda e: action_label(e.action)),
        Column("actor_label", label=_("By")),
        Column("target_label", label=_("Object")),
        Column("summary", label=_("Summary")),
        Column("ip", label=_("IP address")),
    ]
    inspect_view_fields = [
        "seq",
        "at",
        "action",
        "actor_label",
        "target_type",
        "target_id",
        "target_label",
        "summary",
        "data",
        "ip",
        "user_agent",
        "prev_hash",
        "hash",
    ]
    ordering = ["-seq"]


class AuditAnchorViewSet(_ReadOnlyViewSet):
    model = AuditAnchor
    icon = "key"
    menu_label = _("Signed chain heads")
    menu_order = 110
    list_display = ["seq", "hash", "signed_at"]
    ordering = ["-seq"]


class AuditViewSetGroup(ViewSetGroup):
    items = (AuditEntryViewSet("audit_log"), AuditAnchorViewSet("audit_anchors"))
    menu_icon = "history"
    menu_label = _("Audit log")
    menu_order = 900


@hooks.register("register_admin_viewset")
def register_audit_viewsets():
    return AuditViewSetGroup()
