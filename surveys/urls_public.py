"""Public survey routes (outside /p/<program>/): the unguessable token is the key."""

from django.urls import path

from . import views_public

app_name = "surveys_public"

urlpatterns = [
    path("enkat/<str:token>/", views_public.AnswerView.as_view(), name="answer"),
    path("enkat/<str:token>/tack/", views_public.ThanksView.as_view(), name="thanks"),
    path("enkat/<str:token>/qr.svg", views_public.QRCodeView.as_view(), name="qr"),
]
