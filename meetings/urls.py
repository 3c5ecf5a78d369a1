from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("moten/", views.MeetingListView.as_view(), name="meetings"),
    path("moten/nytt/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("moten/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("moten/<int:pk>/andra/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path(
        "moten/<int:pk>/narvaro/",
        views.MeetingAttendanceView.as_view(),
        name="meeting_attendance",
    ),
    path(
        "moten/<int:pk>/protokoll/",
        views.MeetingMinutesView.as_view(),
        name="meeting_minutes",
    ),
    path(
        "moten/<int:pk>/protokoll.pdf",
        views.MeetingMinutesPdfView.as_view(),
        name="meeting_minutes_pdf",
    ),
    path("moten/<int:pk>/stall-in/", views.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("moten/<int:pk>/kalender.ics", views.MeetingIcsView.as_view(), name="meeting_ics"),
    path(
        "moten/<int:pk>/inbjudan/",
        views.MeetingInviteView.as_view(),
        name="meeting_invite",
    ),
    path(
        "moten/<int:meeting>/beslut/nytt/",
        views.DecisionCreateView.as_view(),
        name="decision_create",
    ),
    path(
        "moten/<int:meeting>/beslut/<int:pk>/andra/",
        views.DecisionUpdateView.as_view(),
        name="decision_update",
    ),
    path("kalender/", views.CalendarFeedsView.as_view(), name="calendar_feeds"),
    path(
        "kalender/<int:pk>/aterkalla/",
        views.CalendarFeedRevokeView.as_view(),
        name="calendar_feed_revoke",
    ),
]
