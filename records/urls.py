from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("arkiv/", views.ExportListView.as_view(), name="exports"),
    path("arkiv/<int:pk>/", views.ExportDetailView.as_view(), name="export"),
    path("arkiv/<int:pk>/status.json", views.ExportStatusView.as_view(), name="export_status"),
    path("arkiv/<int:pk>/paket.zip", views.ExportDownloadView.as_view(), name="export_download"),
]
