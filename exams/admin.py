from django.contrib import admin

from exams.models import Attempt, AttemptItem, AttemptResult


class AttemptItemInline(admin.TabularInline):
    model = AttemptItem
    fields = ["position", "question", "version", "domain_number", "task_code", "answer", "flagged",
              "locked_at", "is_correct"]  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Read-only: attempts change only through the exam services."""

    list_display = ["id", "learner", "exam", "mode", "status", "started_at", "deadline", "submitted_at"]
    list_filter = ["exam", "mode", "status"]
    search_fields = ["learner__username", "id"]
    inlines = [AttemptItemInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AttemptResult)
class AttemptResultAdmin(admin.ModelAdmin):
    list_display = ["attempt", "scaled_score", "passed", "correct", "total", "created_at"]
    list_filter = ["passed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
