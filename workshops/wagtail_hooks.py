from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.models import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from accounts.forms import OrganisationChoiceField
from accounts.models import Organisation

from . import admin_views
from .models import TrainingSession, TrainingSessionPage


class TrainingSessionForm(WagtailAdminModelForm):
    organising_unit = OrganisationChoiceField(
        queryset=Organisation.objects.order_by("path"),
        required=False,
        label=_("Organising unit"),
    )

    class Meta:
        model = TrainingSession
        fields = [
            "step",
            "starts_at",
            "ends_at",
            "place",
            "address",
            "capacity",
            "trainers",
            "organising_unit",
            "registration_opens_at",
            "registration_closes_at",
            "cancellation_deadline",
        ]
        widgets = {"trainers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.roles import TRAINER

        from .selectors import session_steps_editable_by

        user = self.for_user
        steps = TrainingSessionPage.objects.order_by("title")
        if user is not None and not user.is_superuser:
            # The in-person steps of the courses this person owns: a tampered step id of
            # another's course is refused like any value not in the list.
            steps = session_steps_editable_by(user=user).order_by("title")
        self.fields["step"].queryset = steps
        from django.contrib.auth import get_user_model

        self.fields["trainers"].queryset = (
            get_user_model().objects.filter(groups__name=TRAINER).order_by("full_name")
        )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        closes = cleaned.get("registration_closes_at")
        if starts and closes and closes > starts:
            self.add_error("registration_closes_at", _("Registration must close by the start."))
        opens = cleaned.get("registration_opens_at")
        if opens and closes and opens >= closes:
            self.add_error("registration_opens_at", _("Registration must open before it closes."))
        return cleaned


class _FillAfterSave:
    def save_instance(self):
        from .services import session_fill_from_waitlist

        instance = super().save_instance()
        session_fill_from_waitlist(session=instance)
        return instance


class _OnlyManageable:
    """Scheduling is its course's owners' and administrators' (the guard in
    courses.middleware refuses others first, with a plain message)."""

    def get_object(self, queryset=None):
        from .selectors import session_editable_by

        session = super().get_object(queryset)
        if not session_editable_by(user=self.request.user, session=session):
            raise PermissionDenied
        return session


class SessionIndexView(IndexView):
    def get_base_queryset(self):
        from .selectors import sessions_editable_by

        return sessions_editable_by(user=self.request.user)


class SessionCreateView(_FillAfterSave, CreateView):
    pass


class SessionEditView(_OnlyManageable, _FillAfterSave, EditView):
    pass


class SessionDeleteView(_OnlyManageable, DeleteView):
    pass


class TrainingSessionViewSet(ModelViewSet):
    model = TrainingSession
    form_class = TrainingSessionForm
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    index_view_class = SessionIndexView
    icon = "date"
    menu_label = _("Training sessions")
    menu_order = 230
    add_to_admin_menu = False
    list_display = ["__str__", "capacity", "starts_at"]
    list_filter = ["step"]
    ordering = ["-starts_at"]

    def get_form_class(self, for_update=False):
        return TrainingSessionForm


@hooks.register("register_admin_viewset")
def register_session_viewset():
    return TrainingSessionViewSet("training_sessions")


@hooks.register("register_admin_menu_item")
def sessions_menu_item():
    return MenuItem(
        _("In-person sessions"), reverse("workshops_sessions"), icon_name="date", order=232
    )


@hooks.register("register_admin_urls")
def register_workshop_urls():
    return [
        path("workshops/", admin_views.session_index, name="workshops_sessions"),
        path("workshops/<int:session_id>/", admin_views.session_detail, name="workshops_session"),
        path(
            "workshops/<int:session_id>/checkin/",
            admin_views.checkin_screen,
            name="workshops_checkin_screen",
        ),
        path(
            "workshops/<int:session_id>/checkin/code/",
            admin_views.checkin_code,
            name="workshops_checkin_code",
        ),
        path(
            "workshops/<int:session_id>/export/",
            admin_views.attendance_export,
            name="workshops_export",
        ),
        path(
            "workshops/<int:session_id>/no-shows/",
            admin_views.no_shows,
            name="workshops_no_shows",
        ),
        path(
            "workshops/<int:session_id>/sheet.pdf",
            admin_views.sign_in_sheet,
            name="workshops_sheet",
        ),
        path(
            "workshops/scan/<str:token>/",
            admin_views.scan_personal,
            name="workshops_scan_personal",
        ),
    ]


@hooks.register("register_page_header_buttons")
def sessions_button(page, user, view_name, next_url=None):
    if (
        isinstance(page.specific_deferred, TrainingSessionPage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            _("Sessions and attendance"),
            reverse("workshops_sessions") + f"?step={page.pk}",
            icon_name="date",
            priority=40,
        )
