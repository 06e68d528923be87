from django.urls import path

from exams.api import views

urlpatterns = [
    path("exams/", views.ExamListView.as_view(), name="exam-list"),
    path("attempts/", views.AttemptListView.as_view(), name="attempt-list"),
    path("attempts/<str:attempt_id>/", views.AttemptDetailView.as_view(), name="attempt-detail"),
    path("attempts/<str:attempt_id>/items/<int:position>/", views.ItemView.as_view(), name="attempt-item"),
    path(
        "attempts/<str:attempt_id>/items/<int:position>/lock/", views.ItemLockView.as_view(), name="attempt-item-lock"
    ),
    path("attempts/<str:attempt_id>/submit/", views.SubmitView.as_view(), name="attempt-submit"),
    path("attempts/<str:attempt_id>/result/", views.ResultView.as_view(), name="attempt-result"),
]
