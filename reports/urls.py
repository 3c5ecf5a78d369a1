from django.urls import path

from . import views, views_dashboard

app_name = "reports"

urlpatterns = [
    path("oversikt/", views_dashboard.DashboardView.as_view(), name="dashboard"),
    path("oversikt/karta.json", views_dashboard.DashboardMapView.as_view(), name="dashboard_map"),
    path("rapporter/", views.ReportListView.as_view(), name="list"),
    path("rapporter/ny/", views.ReportRequestView.as_view(), name="create"),
    path("rapporter/<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("rapporter/<int:pk>/status.json", views.ReportStatusView.as_view(), name="status"),
    path("rapporter/<int:pk>/forsok-igen/", views.ReportRetryView.as_view(), name="retry"),
    path("rapporter/<int:pk>/pdf/", views.ReportDownloadView.as_view(), name="download"),
    path("rapporter/scheman/", views.ScheduleListView.as_view(), name="schedules"),
    path("rapporter/scheman/ny/", views.ScheduleCreateView.as_view(), name="schedule_create"),
    path("rapporter/scheman/<int:pk>/", views.ScheduleUpdateView.as_view(), name="schedule_update"),
    path(
        "rapporter/scheman/<int:pk>/avsluta/",
        views.ScheduleDeactivateView.as_view(),
        name="schedule_deactivate",
    ),
]
