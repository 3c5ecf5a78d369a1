from django.urls import path

from . import views, views_meetings

app_name = "partnerships"

urlpatterns = [
    path("organisationer/", views.OrganisationListView.as_view(), name="organisations"),
    path("organisationer/ny/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisationer/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path(
        "organisationer/<int:pk>/andra/",
        views.OrganisationUpdateView.as_view(),
        name="organisation_update",
    ),
    path(
        "organisationer/<int:organisation>/kontakter/ny/",
        views.ContactCreateView.as_view(),
        name="contact_create",
    ),
    path(
        "organisationer/<int:organisation>/kontakter/<int:pk>/andra/",
        views.ContactUpdateView.as_view(),
        name="contact_update",
    ),
    path(
        "organisationer/<int:organisation>/kontakter/<int:pk>/ta-bort/",
        views.ContactDeleteView.as_view(),
        name="contact_delete",
    ),
    path("medlemmar/", views.MemberListView.as_view(), name="members"),
    path("medlemmar/bjud-in/", views.InviteView.as_view(), name="invite"),
    path(
        "medlemmar/<int:pk>/andra/", views.MembershipUpdateView.as_view(), name="membership_update"
    ),
    path(
        "inbjudningar/<int:pk>/aterkalla/",
        views.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path("logg/", views.AuditLogView.as_view(), name="audit_log"),
    path("moten/", views_meetings.MeetingListView.as_view(), name="meetings"),
    path("moten/nytt/", views_meetings.MeetingCreateView.as_view(), name="meeting_create"),
    path("moten/<int:pk>/", views_meetings.MeetingDetailView.as_view(), name="meeting"),
    path(
        "moten/<int:pk>/andra/", views_meetings.MeetingUpdateView.as_view(), name="meeting_update"
    ),
    path(
        "moten/<int:pk>/narvaro/",
        views_meetings.MeetingAttendanceView.as_view(),
        name="meeting_attendance",
    ),
    path(
        "moten/<int:pk>/protokoll/",
        views_meetings.MeetingMinutesView.as_view(),
        name="meeting_minutes",
    ),
    path(
        "moten/<int:pk>/protokoll.pdf",
        views_meetings.MeetingMinutesPdfView.as_view(),
        name="meeting_minutes_pdf",
    ),
    path(
        "moten/<int:pk>/kalender.ics", views_meetings.MeetingIcsView.as_view(), name="meeting_ics"
    ),
    path(
        "moten/<int:pk>/inbjudan/",
        views_meetings.MeetingInviteView.as_view(),
        name="meeting_invite",
    ),
    path(
        "moten/<int:meeting>/beslut/nytt/",
        views_meetings.DecisionCreateView.as_view(),
        name="decision_create",
    ),
    path(
        "moten/<int:meeting>/beslut/<int:pk>/andra/",
        views_meetings.DecisionUpdateView.as_view(),
        name="decision_update",
    ),
    path("kalender/", views_meetings.CalendarFeedsView.as_view(), name="calendar_feeds"),
    path(
        "kalender/<int:pk>/aterkalla/",
        views_meetings.CalendarFeedRevokeView.as_view(),
        name="calendar_feed_revoke",
    ),
]
