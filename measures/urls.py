from django.urls import path

from . import views, views_effects

app_name = "measures"

urlpatterns = [
    path("platser/<int:place>/atgarder/", views.ActionPlanView.as_view(), name="plan"),
    path(
        "platser/<int:place>/atgarder/export.csv",
        views.ActionPlanExportView.as_view(file_format="csv"),
        name="plan_csv",
    ),
    path(
        "platser/<int:place>/atgarder/export.xlsx",
        views.ActionPlanExportView.as_view(file_format="xlsx"),
        name="plan_xlsx",
    ),
    path(
        "platser/<int:place>/atgarder/ny/", views.MeasureCreateView.as_view(), name="measure_create"
    ),
    path(
        "beslut/<int:decision>/atgard/",
        views.DecisionMeasureView.as_view(),
        name="decision_measure",
    ),
    path("atgarder/<int:pk>/", views.MeasureDetailView.as_view(), name="measure"),
    path("atgarder/<int:pk>/andra/", views.MeasureUpdateView.as_view(), name="measure_update"),
    path("atgarder/<int:pk>/status/", views.MeasureStatusView.as_view(), name="measure_status"),
    path(
        "atgarder/<int:pk>/foton/ny/", views.MeasurePhotoCreateView.as_view(), name="photo_create"
    ),
    path("atgarder/<int:measure>/foton/<int:pk>/", views.MeasurePhotoView.as_view(), name="photo"),
    path(
        "platser/<int:place>/effekter/",
        views_effects.PlaceEffectsView.as_view(),
        name="place_effects",
    ),
    path(
        "atgarder/<int:pk>/effekter/",
        views_effects.MeasureEffectsView.as_view(),
        name="measure_effects",
    ),
    path("aktiviteter/ny/", views.ActivityStartView.as_view(), name="activity_start"),
    path("platser/<int:place>/aktiviteter/", views.ActivityListView.as_view(), name="activities"),
    path(
        "platser/<int:place>/aktiviteter/ny/",
        views.ActivityCreateView.as_view(),
        name="activity_create",
    ),
    path("aktiviteter/<int:pk>/foto/", views.ActivityPhotoView.as_view(), name="activity_photo"),
    path("medfinansiering/", views.CofinancingView.as_view(), name="cofinancing"),
]
