from django.urls import path

from . import views, views_findings

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
    # Findings and safety walks (views_findings.py)
    path("platser/<int:place>/fynd/", views_findings.FindingListView.as_view(), name="findings"),
    path(
        "platser/<int:place>/fynd/nytt/",
        views_findings.FindingCreateView.as_view(),
        name="finding_create",
    ),
    path(
        "platser/<int:place>/fynd/<int:pk>/",
        views_findings.FindingDetailView.as_view(),
        name="finding",
    ),
    path(
        "platser/<int:place>/fynd/<int:pk>/andra/",
        views_findings.FindingUpdateView.as_view(),
        name="finding_update",
    ),
    path(
        "platser/<int:place>/fynd/<int:pk>/status/",
        views_findings.FindingStatusView.as_view(),
        name="finding_status",
    ),
    path(
        "platser/<int:place>/fynd/<int:pk>/foto/",
        views_findings.FindingPhotoView.as_view(),
        name="finding_photo",
    ),
    path("platser/<int:place>/vandringar/", views_findings.WalkListView.as_view(), name="walks"),
    path(
        "platser/<int:place>/vandringar/ny/",
        views_findings.WalkCreateView.as_view(),
        name="walk_create",
    ),
    path(
        "platser/<int:place>/vandringar/<int:pk>/",
        views_findings.WalkDetailView.as_view(),
        name="walk",
    ),
    path(
        "platser/<int:place>/vandringar/<int:pk>/andra/",
        views_findings.WalkUpdateView.as_view(),
        name="walk_update",
    ),
    path(
        "platser/<int:place>/vandringar/<int:pk>/uppfoljd/",
        views_findings.WalkFollowedUpView.as_view(),
        name="walk_followed_up",
    ),
    path(
        "platser/<int:place>/vandringar/<int:pk>/protokoll.pdf",
        views_findings.WalkProtocolView.as_view(),
        name="walk_protocol",
    ),
]
