from django.contrib import admin

from accounts.models import LearnerProfile


@admin.register(LearnerProfile)
class LearnerProfileAdmin(admin.ModelAdmin):
    """Staff set a learner's accommodation here (or the learner in their profile)."""

    list_display = ["user", "time_multiplier", "extra_minutes", "updated_at"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
