from django.urls import path

from . import views
from .results import urls as results_urls

app_name = "surveys"

urlpatterns = [
    path("enkater/", views.SurveyListView.as_view(), name="list"),
    path("enkater/ny/", views.SurveyCreateView.as_view(), name="create"),
    path("enkater/fragor/", views.QuestionListView.as_view(), name="question_list"),
    path("enkater/fragor/ny/", views.QuestionCreateView.as_view(), name="question_create"),
    path(
        "enkater/fragor/<int:pk>/andra/",
        views.QuestionUpdateView.as_view(),
        name="question_update",
    ),
    path(
        "enkater/fragor/<int:pk>/ta-bort/",
        views.QuestionDeleteView.as_view(),
        name="question_delete",
    ),
    path("enkater/<int:pk>/", views.SurveyDetailView.as_view(), name="detail"),
    path("enkater/<int:pk>/andra/", views.SurveyUpdateView.as_view(), name="update"),
    path("enkater/<int:pk>/fragor/", views.SurveyQuestionsView.as_view(), name="questions"),
    path("enkater/<int:pk>/affisch.pdf", views.PosterView.as_view(), name="poster"),
    path("enkater/<int:pk>/papperssvar/", views.PaperResponseView.as_view(), name="paper"),
]

# The results pages (surveys.results.urls), kept apart from the builder.
urlpatterns += results_urls.urlpatterns
