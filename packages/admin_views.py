"""Wagtail admin: import a course package (upload, preview, import) and export a course."""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from content.keys import ascii_slug
from courses.models import CoursePage

from . import services
from .exporter import package_tree, write_zip
from .forms import ImportOptionsForm, PackageUploadForm
from .importer import ACTION_LABELS, KIND_LABELS
from .models import ImportStatus, PackageImport

IMPORT_PERMISSION = "packages.add_packageimport"


def _imports_for(user):
    imports = PackageImport.objects.select_related("uploaded_by")
    if user.has_perm("packages.view_packageimport"):
        return imports
    return imports.filter(uploaded_by=user)


class ImportIndexView(TemplateView):
    template_name = "packages/admin/index.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "form": form or PackageUploadForm(),
                "imports": _imports_for(self.request.user)[:50],
                "header_title": _("Course packages"),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PackageUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        record = services.package_import_create(
            upload=form.cleaned_data["package"], user=request.user
        )
        return redirect("packages_import", record.pk)


def _lines(plan_data):
    return [
        {
            **line,
            "kind_label": KIND_LABELS.get(line["kind"], line["kind"]),
            "action_label": ACTION_LABELS.get(line["action"], line["action"]),
        }
        for line in plan_data
    ]


def _installed_codes(record) -> list[str]:
    codes = [line["name"] for line in record.plan if line["kind"] == "course"]
    return list(CoursePage.objects.filter(code__in=codes).values_list("code", flat=True))


class ImportDetailView(TemplateView):
    template_name = "packages/admin/detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        self.record = get_object_or_404(_imports_for(request.user), pk=kwargs["import_id"])
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        record = self.record
        options = services.options_from_data(record.options)
        initial = {
            "publish": options.publish,
            "update_provisions": options.update_provisions,
            "update_questions": options.update_questions,
        }
        codes = _installed_codes(record)
        for index, code in enumerate(codes):
            initial[f"course_{index}_action"] = options.course_actions.get(
                code, options.on_existing
            )
            initial[f"course_{index}_code"] = options.new_codes.get(code, "")
        return ImportOptionsForm(data, initial=initial, installed_codes=codes)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.record
        lines = _lines(record.plan)
        context.update(
            {
                "record": record,
                "form": form or self.form(),
                "lines": lines,
                "refusals": [line for line in lines if line["action"] == "refuse"],
                "can_import": record.status == ImportStatus.PREVIEWED,
                "courses": CoursePage.objects.filter(pk__in=record.result.get("courses", [])),
                "header_title": _("Course package: %(title)s")
                % {"title": record.title or record.file_name},
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.record.status != ImportStatus.PREVIEWED:
            messages.error(request, _("This package has already been imported or refused."))
            return redirect("packages_import", self.record.pk)
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        options = services.options_from_data(form.options_data())
        if "import" in request.POST:
            plan = services.package_import_queue(
                record=self.record, options=options, user=request.user
            )
            if not plan.ok:
                messages.error(request, _("Nothing was imported: solve the refused lines first."))
            elif self.record.status == ImportStatus.APPLIED:
                messages.success(request, _("The package was imported."))
            elif self.record.status == ImportStatus.REFUSED:
                messages.error(request, _("The import was refused; nothing was imported."))
            else:
                messages.success(request, _("The import has started; this page shows its result."))
        else:
            services.package_import_preview(record=self.record, options=options, user=request.user)
        return redirect("packages_import", self.record.pk)


def course_export(request, page_id: int):
    """Download one course (its latest draft) as a .pcmd.zip package."""
    course = get_object_or_404(CoursePage, pk=page_id)
    if not course.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    files = package_tree(
        courses=[course], key=f"course-{ascii_slug(course.code)}", title=course.title
    )
    # Built in a temporary file (spooled to disk when large) and streamed from there.
    handle = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    write_zip(files, handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{course.code}.pcmd.zip",
        content_type="application/zip",
    )


def export_url(course) -> str:
    return reverse("packages_course_export", args=[course.pk])
