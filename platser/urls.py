from django.urls import path

from . import views

app_name = "platser"

urlpatterns = [
    path("", views.ProgramHomeView.as_view(), name="overview"),
    path("platser/ny/", views.PlaceCreateView.as_view(), name="place_create"),
    path("platser/<int:pk>/", views.PlaceDetailView.as_view(), name="place"),
    path("platser/<int:pk>/andra/", views.PlaceUpdateView.as_view(), name="place_update"),
    path("platser/<int:pk>/arkivera/", views.PlaceArchiveView.as_view(), name="place_archive"),
    path("platser/<int:pk>/aktorer/", views.StakeholderListView.as_view(), name="stakeholders"),
    path(
        "platser/<int:place>/aktorer/ny/",
        views.StakeholderCreateView.as_view(),
        name="stakeholder_create",
    ),
    path(
        "platser/<int:place>/aktorer/<int:pk>/andra/",
        views.StakeholderUpdateView.as_view(),
        name="stakeholder_update",
    ),
    path(
        "platser/<int:place>/aktorer/<int:pk>/ta-bort/",
        views.StakeholderDeleteView.as_view(),
        name="stakeholder_delete",
    ),
    path(
        "platser/<int:place>/aktorer/<int:pk>/overenskommelse/",
        views.AgreementDownloadView.as_view(),
        name="agreement",
    ),
]
