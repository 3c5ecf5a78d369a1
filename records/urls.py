from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("arkiv/", views.ExportListView.as_view(), name="exports"),
    path("arkiv/<int:pk>/", views.ExportDetailView.as_view(), name="export"),
    path("arkiv/<int:pk>/status.json", views.ExportStatusView.as_view(), name="export_status"),
    path("arkiv/<int:pk>/paket.zip", views.ExportDownloadView.as_view(), name="export_download"),
    path("personuppgifter/", views.PersonalDataView.as_view(), name="personal_data"),
    path(
        "personuppgifter/anvandare/<int:pk>/registerutdrag.json",
        views.UserExtractView.as_view(),
        name="user_extract",
    ),
    path(
        "personuppgifter/kontakter/<int:pk>/registerutdrag.json",
        views.ContactExtractView.as_view(),
        name="contact_extract",
    ),
    path(
        "personuppgifter/anvandare/<int:pk>/radera/",
        views.UserEraseView.as_view(),
        name="user_erase",
    ),
    path(
        "personuppgifter/kontakter/<int:pk>/radera/",
        views.ContactEraseView.as_view(),
        name="contact_erase",
    ),
    path("personuppgifter/gallring/", views.RetentionView.as_view(), name="retention"),
]
