from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from mlaexam import frontend
from mlaexam.health import health

admin.site.site_header = "mlaexam: question bank"
admin.site.site_title = "mlaexam admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/health/", health, name="health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/", include("accounts.urls")),
    path("api/", include("exams.api.urls")),
    path("api/", include("analytics.urls")),
    path("api/", include("cohorts.urls")),
    # The browser app: every other path is one of its client-side routes.
    re_path(r"^(?!api/|admin/|static/).*$", frontend.app, name="app"),
]

handler404 = "mlaexam.views.not_found"
handler500 = "mlaexam.views.server_error"
