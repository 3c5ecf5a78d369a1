from django.urls import path

from . import views

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
]
