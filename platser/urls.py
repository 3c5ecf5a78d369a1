from django.urls import path

from .views import effects, findings, places

app_name = "platser"

urlpatterns = [
    path("", places.ProgramHomeView.as_view(), name="overview"),
    path("platser/ny/", places.PlaceCreateView.as_view(), name="place_create"),
    path("platser/<int:pk>/", places.PlaceDetailView.as_view(), name="place"),
    path("platser/<int:pk>/andra/", places.PlaceUpdateView.as_view(), name="place_update"),
    path("platser/<int:pk>/arkivera/", places.PlaceArchiveView.as_view(), name="place_archive"),
    path(
        "platser/<int:pk>/zoner/<int:zone>/",
        places.ZoneBoundaryView.as_view(),
        name="zone_boundary",
    ),
    path("platser/<int:pk>/aktorer/", places.StakeholderListView.as_view(), name="stakeholders"),
    path(
        "platser/<int:place>/aktorer/ny/",
        places.StakeholderCreateView.as_view(),
        name="stakeholder_create",
    ),
    path(
        "platser/<int:place>/aktorer/<int:pk>/andra/",
        places.StakeholderUpdateView.as_view(),
        name="stakeholder_update",
    ),
    path(
        "platser/<int:place>/aktorer/<int:pk>/ta-bort/",
        places.StakeholderDeleteView.as_view(),
        name="stakeholder_delete",
    ),
    path(
        "platser/<int:place>/aktorer/<int:pk>/overenskommelse/",
        places.AgreementDownloadView.as_view(),
        name="agreement",
    ),
    # Findings and safety walks (findings.py)
    path("platser/<int:place>/fynd/", findings.FindingListView.as_view(), name="findings"),
    path(
        "platser/<int:place>/fynd/nytt/",
        findings.FindingCreateView.as_view(),
        name="finding_create",
    ),
    path(
        "platser/<int:place>/fynd/<int:pk>/",
        findings.FindingDetailView.as_view(),
        name="finding",
    ),
    path(
        "platser/<int:place>/fynd/<int:pk>/andra/",
        findings.FindingUpdateView.as_view(),
        name="finding_update",
    ),
    path(
        "platser/<int:place>/fynd/<int:pk>/status/",
        findings.FindingStatusView.as_view(),
        name="finding_status",
    ),
    path(
        "platser/<int:place>/fynd/<int:pk>/foto/",
        findings.FindingPhotoView.as_view(),
        name="finding_photo",
    ),
    path("platser/<int:place>/vandringar/", findings.WalkListView.as_view(), name="walks"),
    path(
        "platser/<int:place>/vandringar/ny/",
        findings.WalkCreateView.as_view(),
        name="walk_create",
    ),
    path(
        "platser/<int:place>/vandringar/<int:pk>/",
        findings.WalkDetailView.as_view(),
        name="walk",
    ),
    path(
        "platser/<int:place>/vandringar/<int:pk>/andra/",
        findings.WalkUpdateView.as_view(),
        name="walk_update",
    ),
    path(
        "platser/<int:place>/vandringar/<int:pk>/uppfoljd/",
        findings.WalkFollowedUpView.as_view(),
        name="walk_followed_up",
    ),
    path(
        "platser/<int:place>/vandringar/<int:pk>/protokoll.pdf",
        findings.WalkProtocolView.as_view(),
        name="walk_protocol",
    ),
    # Incident statistics and effect follow-up (effects.py)
    # The follow-up page itself is measures:place_effects (it shows measures and surveys too).
    path(
        "platser/<int:place>/effekter/import/",
        effects.IncidentImportView.as_view(),
        name="incident_import",
    ),
    path(
        "platser/<int:place>/effekter/import/<int:pk>/angra/",
        effects.IncidentImportUndoView.as_view(),
        name="incident_import_undo",
    ),
]
