"""Results routes, included into ``surveys.urls`` (namespace ``surveys``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("enkater/<int:pk>/resultat/", views.SurveyResultsView.as_view(), name="results"),
    path(
        "enkater/<int:pk>/resultat.csv",
        views.ResultsExportView.as_view(fmt="csv"),
        name="results_csv",
    ),
    path(
        "enkater/<int:pk>/resultat.xlsx",
        views.ResultsExportView.as_view(fmt="xlsx"),
        name="results_xlsx",
    ),
    path(
        "enkater/<int:pk>/svar.csv",
        views.ResponsesExportView.as_view(fmt="csv"),
        name="responses_csv",
    ),
    path(
        "enkater/<int:pk>/svar.xlsx",
        views.ResponsesExportView.as_view(fmt="xlsx"),
        name="responses_xlsx",
    ),
    path(
        "platser/<int:place>/matomgangar/",
        views.PlaceWavesView.as_view(),
        name="place_waves",
    ),
]
