"""Import and export in the question admin: an upload page with a dry run before anything is written,
and "Export selected as ..." actions. The work is done by questions.interchange.services."""

from __future__ import annotations

import base64

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from questions.interchange.services import FORMATS, max_bytes, questions_export, questions_import
from questions.models import Question

SALT = "questions.import"
CONFIRM_MAX_AGE = 3600  # seconds a previewed upload can still be confirmed


class ImportForm(forms.Form):
    file = forms.FileField(help_text="GIFT (.txt), Moodle XML (.xml), CSV (.csv) or a bank file (.yaml), UTF-8.")
    format = forms.ChoiceField(choices=[(key, label) for key, (label, _, _) in FORMATS.items()])

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {max_bytes():,} bytes. Split it into smaller files."
            )
        return upload


def import_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form, report, token = ImportForm(), None, None
    if request.method == "POST" and "confirm" in request.POST:
        try:
            upload = signing.loads(request.POST["confirm"], salt=SALT, max_age=CONFIRM_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, "That preview has expired or was changed; upload the file again.")
            return redirect("admin:questions_question_import")
        report = questions_import(
            data=base64.b64decode(upload["data"]), fmt=upload["fmt"], user=request.user, source=upload["name"]
        )
        if report.imported:
            messages.success(request, f"{upload['name']}: {report.summary()}")
            return redirect(reverse("admin:questions_question_changelist") + "?status__exact=draft")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            report = questions_import(data=data, fmt=form.cleaned_data["format"], dry_run=True, source=upload.name)
            if not report.problems and report.planned:
                token = signing.dumps(
                    {"fmt": form.cleaned_data["format"], "name": upload.name, "data": base64.b64encode(data).decode()},
                    salt=SALT,
                    compress=True,
                )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import questions",
        "form": form,
        "report": report,
        "token": token,
        "max_bytes": max_bytes(),
    }
    return TemplateResponse(request, "admin/questions/question/import.html", context)


def export_response(queryset: QuerySet[Question], fmt: str) -> HttpResponse:
    content, extension, content_type = questions_export(questions=queryset, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="mlaexam-questions-{timezone.now():%Y%m%d-%H%M}{extension}"'
    )
    return response


def export_actions() -> list:
    """One admin action per format: "Export selected as GIFT", ..."""
    actions = []
    for fmt, (label, _, _) in FORMATS.items():

        def action(model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, fmt: str = fmt):
            return export_response(queryset, fmt)

        action.__name__ = f"export_{fmt}"
        actions.append(admin.action(description=f"Export selected as {label}", permissions=["view"])(action))
    return actions
