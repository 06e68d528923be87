from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from analytics.models import ExamStatistic, ItemStatistic
from questions.models import Question


@admin.register(ItemStatistic)
class ItemStatisticAdmin(admin.ModelAdmin):
    """A page per question: Moodle's item statistics and the distractor analysis."""

    list_display = ["question", "exam", "attempts", "facility_pct", "discrimination", "efficiency", "flag"]
    list_filter = ["exam"]
    search_fields = ["question__uid", "question__stem"]
    readonly_fields = [
        "question", "exam", "version", "attempts", "facility", "sd", "discrimination_index",
        "discriminative_efficiency", "effective_weight", "option_table", "flag_list", "computed_at",
    ]  # fmt: skip
    exclude = ["options", "flags"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="facility")
    def facility_pct(self, obj: ItemStatistic) -> str:
        return "—" if obj.facility is None else f"{obj.facility:.0%}"

    @admin.display(description="discrimination")
    def discrimination(self, obj: ItemStatistic) -> str:
        return "—" if obj.discrimination_index is None else f"{obj.discrimination_index:.2f}"

    @admin.display(description="efficiency")
    def efficiency(self, obj: ItemStatistic) -> str:
        return "—" if obj.discriminative_efficiency is None else f"{obj.discriminative_efficiency:.2f}"

    @admin.display(description="no review needed", boolean=True)
    def flag(self, obj: ItemStatistic) -> bool:
        return not obj.flags

    @admin.display(description="options: chosen overall / by the top third / by the bottom third")
    def option_table(self, obj: ItemStatistic) -> str:
        if not obj.options:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{:.0%}</td><td>{:.0%}</td><td>{:.0%}</td></tr>",
            (
                (("key" if o["correct"] else ""), o["text"], o["rate"], o["top_rate"], o["bottom_rate"])
                for o in obj.options
            ),
        )
        return format_html(
            "<table><tr><th></th><th>option</th><th>all</th><th>top</th><th>bottom</th></tr>{}</table>", rows
        )

    @admin.display(description="why review it")
    def flag_list(self, obj: ItemStatistic) -> str:
        return format_html_join("", "<li>{}</li>", ((f,) for f in obj.flags)) or "nothing flagged"


@admin.register(ExamStatistic)
class ExamStatisticAdmin(admin.ModelAdmin):
    list_display = ["exam", "attempts", "alpha", "error_ratio", "standard_error", "computed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# A statistics column in the question list (the questions app knows nothing of analytics).
@admin.display(description="statistics")
def statistics_column(obj: Question) -> str:
    stats = list(obj.item_statistics.all())
    if not stats:
        return "—"
    return format_html_join(
        " ",
        '<span title="{}">{} F {} D {}{}</span>',
        (
            ("; ".join(s.flags) or "no flags", s.exam.code,
             "—" if s.facility is None else f"{s.facility:.0%}",
             "—" if s.discrimination_index is None else f"{s.discrimination_index:.2f}",
             " ⚑" if s.flags else "")
            for s in stats
        ),
    )  # fmt: skip


_question_admin = admin.site.get_model_admin(Question)
_question_admin.list_display = [*_question_admin.list_display, statistics_column]
_get_queryset = _question_admin.get_queryset


def _with_statistics(request: HttpRequest):  # one query for the page's statistics, not one per row
    return _get_queryset(request).prefetch_related("item_statistics__exam")


_question_admin.get_queryset = _with_statistics
