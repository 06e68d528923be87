from django.urls import path

from cohorts.api import views

urlpatterns = [
    path("cohorts/", views.CohortListView.as_view(), name="cohort-list"),
    path("cohorts/join/", views.JoinView.as_view(), name="cohort-join"),
    path("cohorts/<str:cohort_id>/", views.CohortDetailView.as_view(), name="cohort-detail"),
    path("cohorts/<str:cohort_id>/rotate-code/", views.RotateCodeView.as_view(), name="cohort-rotate-code"),
    path("cohorts/<str:cohort_id>/leave/", views.LeaveView.as_view(), name="cohort-leave"),
    path("cohorts/<str:cohort_id>/members/", views.MemberListView.as_view(), name="cohort-members"),
    path("cohorts/<str:cohort_id>/members/<int:user_id>/", views.MemberView.as_view(), name="cohort-member"),
    path("cohorts/<str:cohort_id>/instructors/", views.InstructorListView.as_view(), name="cohort-instructors"),
    path(
        "cohorts/<str:cohort_id>/instructors/<int:user_id>/", views.InstructorView.as_view(), name="cohort-instructor"
    ),
    path("cohorts/<str:cohort_id>/dashboard/", views.DashboardView.as_view(), name="cohort-dashboard"),
    path("cohorts/<str:cohort_id>/heatmap/", views.HeatmapView.as_view(), name="cohort-heatmap"),
    path("cohorts/<str:cohort_id>/export.csv", views.ExportView.as_view(), name="cohort-export"),
    path("cohorts/<str:cohort_id>/assignments/", views.AssignmentListView.as_view(), name="cohort-assignments"),
    path(
        "cohorts/<str:cohort_id>/assignments/<str:assignment_id>/",
        views.AssignmentDetailView.as_view(),
        name="cohort-assignment",
    ),
    path(
        "cohorts/<str:cohort_id>/assignments/<str:assignment_id>/start/",
        views.AssignmentStartView.as_view(),
        name="cohort-assignment-start",
    ),
    path("me/assignments/", views.MyAssignmentsView.as_view(), name="me-assignments"),
]
