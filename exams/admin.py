from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from exams.models import Attempt, AttemptItem, AttemptResult, Regrade
from exams.tasks import regrade_question
from questions.models import Question


class ReadOnly(admin.ModelAdmin):
    """Attempts and their results change only through the exam services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AttemptItemInline(admin.TabularInline):
    model = AttemptItem
    fields = ["position", "question", "version", "graded_version", "domain_number", "task_code", "answer", "flagged",
              "seconds_spent", "locked_at", "is_correct"]  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Attempt)
class AttemptAdmin(ReadOnly):
    list_display = ["id", "learner", "exam", "mode", "status", "started_at", "deadline", "submitted_at"]
    list_filter = ["exam", "mode", "status"]
    search_fields = ["learner__username", "id"]
    inlines = [AttemptItemInline]


@admin.register(AttemptResult)
class AttemptResultAdmin(ReadOnly):
    list_display = ["attempt", "scaled_score", "passed", "correct", "total", "created_at", "regraded_at"]
    list_filter = ["passed"]


@admin.register(Regrade)
class RegradeAdmin(ReadOnly):
    """Every corrected key applied to a graded attempt: who, when, and the score before and after."""

    list_display = ["at", "question", "from_version", "to_version", "attempt", "old_scaled_score",
                    "new_scaled_score", "old_passed", "new_passed", "by"]  # fmt: skip
    list_filter = ["question"]
    search_fields = ["question__uid", "attempt__learner__username"]


@admin.action(description="Regrade attempts marked with an earlier version (after correcting the key)")
def regrade_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Question]) -> None:
    for question in queryset:
        outcome = regrade_question.delay(question.pk, request.user.pk)
        if outcome.ready():  # in-process (no broker configured): report at once
            report = outcome.get()
            modeladmin.message_user(
                request,
                f"{question.uid}: regraded {report['regraded']} attempt(s), {report['changed']} score(s) changed"
                + (f"; skipped: {'; '.join(report['skipped'])}" if report["skipped"] else ""),
                messages.SUCCESS,
            )
        else:
            modeladmin.message_user(
                request, f"{question.uid}: regrading queued; see Regrades for the outcome.", messages.INFO
            )


# The questions app knows nothing of attempts; the exams app adds its action to the question admin.
_question_admin = admin.site.get_model_admin(Question)
_question_admin.actions = [*_question_admin.actions, regrade_selected]
