from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from cohorts import services
from cohorts.models import Assignment, Cohort, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    readonly_fields = ["learner", "joined_at"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # learners join with the code; the admin only removes


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["title", "mode", "opens_at", "due_at", "max_attempts"]
    readonly_fields = ["mode"]
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # set in the app, where the filters are checked against the blueprint


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "exam", "join_code", "member_count", "created_at"]
    list_filter = ["exam"]
    search_fields = ["name", "join_code", "instructors__username"]
    filter_horizontal = ["instructors"]
    readonly_fields = ["join_code", "created_by", "created_at"]
    inlines = [MembershipInline, AssignmentInline]
    actions = ["rotate_codes"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cohort]:
        return super().get_queryset(request).annotate(members=Count("memberships"))

    @admin.display(description="members", ordering="members")
    def member_count(self, obj: Cohort) -> int:
        return obj.members

    def save_model(self, request: HttpRequest, obj: Cohort, form: object, change: bool) -> None:
        if not change:
            obj.join_code = services.join_code_unique()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Rotate the join code (old codes and links stop working)")
    def rotate_codes(self, request: HttpRequest, queryset: QuerySet[Cohort]) -> None:
        for cohort in queryset:
            services.cohort_rotate_code(cohort=cohort)
        self.message_user(request, f"New join codes for {queryset.count()} cohort(s).")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "mode", "opens_at", "due_at", "max_attempts"]
    list_filter = ["mode", "cohort__exam"]
    search_fields = ["title", "cohort__name"]
    readonly_fields = ["cohort", "mode", "count", "filters", "timed", "feedback", "created_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
