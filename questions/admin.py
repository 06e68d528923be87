"""Authoring in the Django admin: questions with their options, previews, publishing, duplicating."""

from __future__ import annotations

import random

from auditlog.mixins import AuditlogHistoryAdminMixin
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from questions import rules, services
from questions.admin_interchange import export_actions, import_view
from questions.models import Case, Domain, Exam, Option, Pillar, Question, QuestionVersion, Service, TaskStatement
from questions.selectors import question_rule_data

# --- Reference data: loaded from questions/blueprints/, read-only here ----------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Blueprint data comes from files (a revised exam is a data change), so it is not edited here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class DomainInline(admin.TabularInline):
    model = Domain
    fields = ["number", "name", "weight"]
    extra = 0


@admin.register(Exam)
class ExamAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "question_count", "minutes", "passing_score"]
    inlines = [DomainInline]


@admin.register(Domain)
class DomainAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "weight"]
    list_filter = ["exam"]


@admin.register(TaskStatement)
class TaskStatementAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "domain"]
    list_filter = ["domain__exam", "domain"]
    search_fields = ["code", "title", "domain__exam__code"]


@admin.register(Pillar)
class PillarAdmin(ReadOnlyAdmin):
    list_display = ["slug", "name"]


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    search_fields = ["name"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["uid", "title", "source_file"]
    search_fields = ["uid", "title", "scenario"]

    def save_model(self, request: HttpRequest, obj: Case, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The scenario is part of what learners see: its published questions get a new version.
        for question in obj.questions.all():
            services.question_version_sync(question=question, user=request.user, source="admin")


@admin.register(QuestionVersion)
class QuestionVersionAdmin(ReadOnlyAdmin):
    list_display = ["question", "version", "source", "created_by", "created_at"]
    list_filter = ["source"]
    search_fields = ["question__uid"]
    readonly_fields = ["question", "version", "content", "content_hash", "created_by", "created_at", "source"]


# --- Questions ----------------------------------------------------------------------------------


class ExamFilter(admin.SimpleListFilter):
    title = "exam"
    parameter_name = "exam"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(e.code, e.code) for e in Exam.objects.all()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Question]) -> QuerySet[Question]:
        if not self.value():
            return queryset
        return queryset.filter(
            Q(task_statement__domain__exam__code=self.value()) | Q(alt_task_statement__domain__exam__code=self.value())
        )


class OptionFormSet(forms.BaseInlineFormSet):
    """Checks the options as a whole against the question's type (rules.option_problems)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        kept.sort(key=lambda f: f.cleaned_data.get("order") or 0)
        options = [
            rules.OptionData(
                text=f.cleaned_data.get("text", ""),
                explanation=f.cleaned_data.get("explanation", ""),
                is_correct=bool(f.cleaned_data.get("is_correct")),
                position=f.cleaned_data.get("position"),
                prompt=f.cleaned_data.get("prompt", ""),
            )
            for f in kept
        ]
        question = self.instance
        if not question.type:
            return  # the question form reports the missing type
        if question.status != Question.Status.DRAFT:
            for form in kept:  # beside the field, as for any required field
                if not (form.cleaned_data.get("explanation") or "").strip():
                    form.add_error("explanation", "every option needs its own explanation")
        problems = [
            p
            for p in rules.applicable(rules.option_problems(question.as_rule_data(options=options)), question.status)
            if "has no explanation" not in p.message  # shown beside each option above
        ]
        if problems:
            raise ValidationError([str(p) for p in problems])


class OptionForm(forms.ModelForm):
    class Meta:
        model = Option
        fields = ["order", "text", "explanation", "is_correct", "position", "prompt"]
        error_messages = {"text": {"required": "an option needs text"}}


class OptionInline(admin.TabularInline):
    model = Option
    form = OptionForm
    formset = OptionFormSet
    fields = ["order", "text", "explanation", "is_correct", "position", "prompt"]
    extra = 4
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 40})}}


class QuestionAdminForm(forms.ModelForm):
    references = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        required=False,
        help_text="One AWS documentation URL per line. A published question needs at least one.",
    )
    tags = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        required=False,
        help_text="One per line, e.g. the Moodle category an imported question came from (category:top/...).",
    )

    class Meta:
        model = Question
        fields = [
            "uid", "type", "status", "stem", "explanation", "references", "case", "case_order",
            "task_statement", "alt_task_statement", "pillars", "stage", "services", "difficulty", "teaches", "tags",
        ]  # fmt: skip
        widgets = {"pillars": forms.CheckboxSelectMultiple}
        error_messages = {
            "pillars": {"required": "choose at least one pillar (scalability, cost-effectiveness, security)"},
            "task_statement": {"required": "every question needs a task statement"},
            "stage": {"required": "every question needs exactly one lifecycle stage"},
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["references"] = "\n".join(self.instance.references or [])
            self.initial["tags"] = "\n".join(self.instance.tags or [])

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]

    def clean_references(self) -> list[str]:
        raw = self.cleaned_data.get("references") or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status", Question.Status.DRAFT) != Question.Status.DRAFT and not data.get("pillars"):
            self.add_error("pillars", "choose at least one pillar (scalability, cost-effectiveness, security)")
        return data


@admin.register(Question)
class QuestionAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    form = QuestionAdminForm
    inlines = [OptionInline]
    change_form_template = "admin/questions/question/change_form.html"
    change_list_template = "admin/questions/question/change_list.html"
    list_display = ["uid", "short_stem", "type", "task_statement", "stage", "difficulty", "status", "version"]
    list_filter = [
        ExamFilter,
        "task_statement__domain",
        "task_statement",
        "pillars",
        "stage",
        "type",
        "difficulty",
        "status",
    ]
    search_fields = ["uid", "stem", "options__text", "tags"]
    autocomplete_fields = ["task_statement", "alt_task_statement", "services"]
    readonly_fields = ["before_publishing", "version", "source_file", "created_at", "updated_at"]
    list_select_related = ["task_statement__domain__exam"]
    actions = ["publish_selected", "retire_selected", "duplicate_selected", *export_actions()]
    fieldsets = [
        (None, {"fields": ["uid", "type", "status", "before_publishing", "stem", "explanation", "references"]}),
        ("Case study", {"fields": ["case", "case_order"], "classes": ["collapse"]}),
        (
            "Taxonomy",
            {
                "fields": [
                    "task_statement",
                    "alt_task_statement",
                    "pillars",
                    "stage",
                    "services",
                    "difficulty",
                    "teaches",
                    "tags",
                ]
            },
        ),
        ("Provenance", {"fields": ["version", "source_file", "created_at", "updated_at"]}),
    ]

    @admin.display(description="Before publishing")
    def before_publishing(self, obj: Question) -> str:
        """What a draft still lacks (rules.publish_todo and its taxonomy), so an imported or
        half-written question says what to fill in."""
        if not obj.pk or obj.status != Question.Status.DRAFT:
            return "—"
        todo = [str(p) for p in rules.publish_todo(question_rule_data(obj))]
        if not obj.task_statement_id:
            todo.append("task_statement: choose the task statement it tests")
        if not obj.stage:
            todo.append("stage: choose its lifecycle stage")
        if not todo:
            return "Nothing: this draft can be published."
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((t,) for t in todo)))

    @admin.display(description="stem")
    def short_stem(self, obj: Question) -> str:
        return obj.stem[:90] + ("…" if len(obj.stem) > 90 else "")

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.question_options_renumber(question=form.instance)
        if services.question_version_sync(question=form.instance, user=request.user, source="admin"):
            self.message_user(request, f"Recorded version {form.instance.version} of {form.instance.uid}.")

    # Actions ----------------------------------------------------------------------------------

    @admin.action(description="Publish selected questions", permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        report = services.questions_publish(questions=list(queryset), user=request.user)
        if report.published:
            self.message_user(request, f"Published {len(report.published)} question(s).", messages.SUCCESS)
        for uid, problems in report.refused.items():
            self.message_user(request, f"{uid} not published: {'; '.join(problems)}", messages.ERROR)

    @admin.action(description="Retire selected questions", permissions=["change"])
    def retire_selected(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = services.questions_retire(questions=list(queryset))
        self.message_user(request, f"Retired {count} question(s).", messages.SUCCESS)

    @admin.action(description="Duplicate selected questions as drafts", permissions=["add"])
    def duplicate_selected(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        copies = [services.question_duplicate(question=q) for q in queryset]
        self.message_user(request, f"Created draft copies: {', '.join(c.uid for c in copies)}.", messages.SUCCESS)

    # Preview ----------------------------------------------------------------------------------

    def get_urls(self) -> list:
        custom = [
            path("import/", self.admin_site.admin_view(self.import_view), name="questions_question_import"),
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="questions_question_preview",
            ),
            path(
                "<int:pk>/duplicate/",
                self.admin_site.admin_view(self.duplicate_view),
                name="questions_question_duplicate",
            ),
        ]
        return custom + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        return import_view(self, request)

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        question = get_object_or_404(
            Question.objects.select_related("case", "task_statement__domain__exam").prefetch_related(
                "options", "pillars", "services"
            ),
            pk=pk,
        )
        if not self.has_view_or_change_permission(request, question):
            raise PermissionDenied
        show_key = request.GET.get("key") == "1"
        options = list(question.options.all())
        # A learner sees a shuffle, never authoring order (which for ordering questions is the key).
        random.Random(question.uid).shuffle(options)  # noqa: S311 - a display order, not a secret
        prompts = sorted((o.prompt for o in options if o.prompt), key=lambda p: random.Random(p).random())  # noqa: S311
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Preview of {question.uid}" + (" with the key" if show_key else " as a learner sees it"),
            "question": question,
            "options": options,
            "prompts": prompts,
            "show_key": show_key,
            "ordered": sorted(options, key=lambda o: o.position or 0),
            "change_url": reverse("admin:questions_question_change", args=[question.pk]),
        }
        return TemplateResponse(request, "admin/questions/question/preview.html", context)

    def duplicate_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        question = get_object_or_404(Question, pk=pk)
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        copy = services.question_duplicate(question=question)
        self.message_user(request, format_html("Created the draft copy <b>{}</b>.", copy.uid), messages.SUCCESS)
        return redirect("admin:questions_question_change", copy.pk)
