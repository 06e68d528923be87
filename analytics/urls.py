from django.urls import path

from analytics import api

urlpatterns = [
    path("me/progress/", api.ProgressView.as_view(), name="me-progress"),
    path("questions/<int:question_id>/stats/", api.QuestionStatsView.as_view(), name="question-stats"),
]
