from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from meetings.views import MeetingFeedView
from partnerships import pwa
from partnerships import views as partnership_views
from platser import tiles
from records import views as records_views

from . import admin as _admin_registrations  # noqa: F401
from . import views

# Everything under /p/<program>/ is program-owned: ProgramMiddleware checks membership and runs
# the view inside the program's scope. Each app's urls.py lists only paths below that prefix.
program_patterns = [
    path("", include("platser.urls")),
    path("", include("partnerships.urls")),
    path("", include("meetings.urls")),
    path("", include("surveys.urls")),
    path("", include("measures.urls")),
    path("", include("reports.urls")),
    path("", include("records.urls")),
]

urlpatterns = [
    path("", partnership_views.HomeView.as_view(), name="home"),
    path("p/<slug:program>/", include(program_patterns)),
    path(
        "inbjudan/<str:token>/",
        partnership_views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("kalender/<str:token>.ics", MeetingFeedView.as_view(), name="meeting_feed"),
    path("", include("surveys.urls_public")),
    path("konto/profil/", partnership_views.ProfileView.as_view(), name="account_profile"),
    path(
        "konto/registerutdrag.json",
        records_views.OwnExtractView.as_view(),
        name="account_extract",
    ),
    path("konto/", include("allauth.urls")),
    path(
        "tillganglighet/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("health/", views.health, name="health"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("kartor/<int:z>/<int:x>/<int:y>.png", tiles.tile, name="map_tile"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
