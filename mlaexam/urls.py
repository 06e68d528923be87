from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

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
    # The browser app. Until the frontend lands, frontend/index.html is a placeholder page.
    path("", TemplateView.as_view(template_name="index.html"), name="home"),
]

handler404 = "mlaexam.views.not_found"
handler500 = "mlaexam.views.server_error"
