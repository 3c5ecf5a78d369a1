"""Views for meetings: list, detail, create/edit with agenda, attendance, minutes, decisions,
invitations, the minutes PDF, .ics downloads and calendar links (and the public feed by token).

Every program view fetches through ``request.program`` (another program's id is a 404) and
declares its permission; every form is a plain POST followed by a redirect.
"""

import io

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django_scopes import scope

from partnerships.exceptions import DomainError
from partnerships.forms import PeriodForm
from partnerships.pdf import render_pdf
from partnerships.permissions import ProgramObjectMixin, ProgramPermissionMixin
from partnerships.rules import has_perm

from . import ical, selectors, services
from .forms import (
    AgendaFormSet,
    AttendanceForm,
    CalendarFeedForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    agenda_initial,
)
from .models import Meeting


class MeetingObjectMixin(ProgramObjectMixin):
    """The meeting in the URL, fetched through the program (404 outside it)."""

    meeting_kwarg = "pk"

    def get_meeting(self) -> Meeting:
        return self.url_object(
            selectors.meetings_for_detail(program=self.program), self.meeting_kwarg
        )

    def get_permission_object(self):
        return self.get_meeting()

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.get_meeting(), **kwargs)


class MeetingListView(ProgramPermissionMixin, ListView):
    """The program's meetings, filtered by place, kind, upcoming/past/held and period."""

    permission = "can_view_meetings"
    template_name = "meetings/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 50

    def get_queryset(self):
        get = self.request.GET
        self.places = list(self.program.places.order_by("name"))
        self.place = next((p for p in self.places if str(p.pk) == get.get("plats")), None)
        self.kind = get.get("typ") if get.get("typ") in Meeting.Kind.values else ""
        when = get.get("tid")
        self.when = (
            when if when in (selectors.PAST, selectors.ALL, selectors.HELD) else selectors.UPCOMING
        )
        self.period_form, start, end = PeriodForm.from_request(self.request)
        return selectors.meeting_list(
            program=self.program,
            place=self.place,
            kind=self.kind,
            when=self.when,
            period_start=start,
            period_end=end,
        )

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            places=self.places,
            place=self.place,
            kind=self.kind,
            when=self.when,
            period_form=self.period_form,
            query=query.urlencode(),
            kinds=Meeting.Kind.choices,
            can_create=has_perm(self.membership, "can_create_meetings"),
            **kwargs,
        )


class MeetingDetailView(MeetingObjectMixin, TemplateView):
    permission = "can_view_meetings"
    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        meeting = self.get_meeting()
        return super().get_context_data(
            attendance=selectors.attendance_by_organisation(meeting),
            show_names=has_perm(self.membership, "can_see_personal_data"),
            can_manage=has_perm(self.membership, "can_manage_meeting", meeting),
            # A program-wide meeting's decision becomes a measure at a place chosen here.
            measure_places=[]
            if meeting.place_id
            else list(self.program.places.active().restrict(self.membership).order_by("name")),
            **kwargs,
        )


class MeetingFormMixin(ProgramPermissionMixin):
    """Create or edit a meeting and its agenda in one form (meeting fields + agenda formset)."""

    permission = "can_manage_meeting"
    template_name = "meetings/meeting_form.html"
    instance = None

    def get(self, request, *args, **kwargs):
        initial = {}
        if self.instance.pk is None and request.GET.get("plats", "").isdigit():
            initial["place"] = int(request.GET["plats"])
        form = MeetingForm(
            instance=self.instance,
            initial=initial,
            program=self.program,
            membership=self.membership,
        )
        formset = AgendaFormSet(initial=agenda_initial(self.instance), prefix="agenda")
        return self.render(form, formset)

    def post(self, request, *args, **kwargs):
        form = MeetingForm(
            request.POST,
            instance=self.instance,
            program=self.program,
            membership=self.membership,
        )
        formset = AgendaFormSet(
            request.POST, initial=agenda_initial(self.instance), prefix="agenda"
        )
        if not (form.is_valid() and formset.is_valid()):
            return self.render(form, formset)
        meeting = form.save(commit=False)
        if not has_perm(self.membership, "can_manage_meeting", meeting):
            form.add_error("place", _("Du kan bara planera möten vid dina egna platser."))
            return self.render(form, formset)
        try:
            services.save_meeting(
                actor=request.user,
                program=self.program,
                meeting=meeting,
                agenda=formset.entries(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.render(form, formset)
        messages.success(request, _("Mötet %(title)s är sparat.") % {"title": meeting.title})
        return redirect(meeting.get_absolute_url())

    def render(self, form, formset):
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset, object=self.instance)
        )


class MeetingCreateView(MeetingFormMixin, TemplateView):
    permission = "can_create_meetings"

    def dispatch(self, request, *args, **kwargs):
        self.instance = Meeting()
        return super().dispatch(request, *args, **kwargs)


class MeetingUpdateView(MeetingObjectMixin, MeetingFormMixin, TemplateView):
    def get_permission_object(self):
        self.instance = self.get_meeting()
        return self.instance


class MeetingAttendanceView(MeetingObjectMixin, FormView):
    """A status per person: the place's stakeholders' contacts and the members involved."""

    permission = "can_manage_meeting"
    template_name = "meetings/attendance_form.html"
    form_class = AttendanceForm

    def get_form_kwargs(self):
        meeting = self.get_meeting()
        current = {
            (f"c{a.contact_id}" if a.contact_id else f"u{a.user_id}"): a.status
            for a in meeting.attendances.all()
        }
        return {
            **super().get_form_kwargs(),
            "people": selectors.attendance_candidates(meeting),
            "current": current,
        }

    def form_valid(self, form):
        meeting = self.get_meeting()
        try:
            services.record_attendance(
                actor=self.request.user, meeting=meeting, entries=form.entries()
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Närvaron är sparad."))
        return redirect(meeting.get_absolute_url())


class MeetingMinutesView(MeetingObjectMixin, FormView):
    permission = "can_manage_meeting"
    template_name = "meetings/minutes_form.html"
    form_class = MinutesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.get_meeting()}

    def form_valid(self, form):
        meeting = self.get_meeting()
        services.write_minutes(
            actor=self.request.user,
            meeting=meeting,
            minutes=form.minutes(),
            notes=form.cleaned_data["notes"].strip(),
            signatories=form.signatories(),
        )
        messages.success(self.request, _("Protokollet är sparat."))
        return redirect(meeting.get_absolute_url())


class DecisionFormMixin(MeetingObjectMixin, FormView):
    permission = "can_manage_meeting"
    meeting_kwarg = "meeting"
    template_name = "meetings/decision_form.html"
    form_class = DecisionForm
    decision = None

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "meeting": self.get_meeting(),
            "instance": self.decision,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(decision=self.decision, **kwargs)

    def form_valid(self, form):
        meeting = self.get_meeting()
        data = form.cleaned_data
        try:
            if self.decision is None:
                decision = services.add_decision(
                    actor=self.request.user,
                    meeting=meeting,
                    text=data["text"],
                    agenda_item=data["agenda_item"],
                    responsible_organisation=data["responsible_organisation"],
                )
            else:
                decision = services.update_decision(
                    actor=self.request.user,
                    decision=self.decision,
                    text=data["text"],
                    agenda_item=data["agenda_item"],
                    responsible_organisation=data["responsible_organisation"],
                )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, _("Beslut %(number)s är sparat.") % {"number": decision.number}
        )
        return redirect(decision.get_absolute_url())


class DecisionCreateView(DecisionFormMixin):
    pass


class DecisionUpdateView(DecisionFormMixin):
    def get_permission_object(self):
        meeting = self.get_meeting()
        self.decision = get_object_or_404(meeting.decisions.all(), pk=self.kwargs["pk"])
        return meeting


class MeetingInviteView(MeetingObjectMixin, TemplateView):
    """Who gets the invitation e-mail (and who already got it); POST sends it."""

    permission = "can_manage_meeting"
    template_name = "meetings/invite.html"

    def get_context_data(self, **kwargs):
        meeting = self.get_meeting()
        invited = {i.email.lower(): i for i in meeting.invitations.all()}
        recipients = [
            (contact, invited.get(contact.email.lower()))
            for contact in selectors.invitation_recipients(meeting)
        ]
        return super().get_context_data(recipients=recipients, **kwargs)

    def post(self, request, pk):
        meeting = self.get_meeting()
        try:
            count = services.invite_to_meeting(
                actor=request.user, meeting=meeting, resend=request.POST.get("resend") == "1"
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(meeting)
        if count:
            messages.success(
                request,
                ngettext(
                    "Inbjudan skickas till %(count)s person.",
                    "Inbjudan skickas till %(count)s personer.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("Alla har redan fått inbjudan. Ingen ny skickades."))
        return redirect("meetings:meeting_invite", program=self.program.slug, pk=meeting.pk)


class MeetingCancelView(MeetingObjectMixin, TemplateView):
    """Cancel a meeting (asked once more on a page of its own); the invited get a
    cancellation their calendar understands."""

    permission = "can_manage_meeting"
    template_name = "meetings/meeting_cancel.html"

    def post(self, request, pk):
        meeting = self.get_meeting()
        try:
            count = services.cancel_meeting(actor=request.user, meeting=meeting)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(meeting)
        text = _("Mötet är inställt.")
        if count:
            text += " " + ngettext(
                "Ett återbud skickas till %(count)s inbjuden person.",
                "Ett återbud skickas till de %(count)s inbjudna.",
                count,
            ) % {"count": count}
        messages.success(request, text)
        return redirect(meeting)


class MeetingMinutesPdfView(MeetingObjectMixin, View):
    """The minutes as a PDF; without personal-data rights attendance is counts only."""

    permission = "can_view_meetings"

    def get(self, request, pk):
        meeting = self.get_meeting()
        pdf = render_pdf(
            "meetings/pdf/minutes.html",
            {
                "meeting": meeting,
                "attendance": selectors.attendance_by_organisation(meeting),
                "show_names": has_perm(self.membership, "can_see_personal_data"),
                "generated_at": timezone.now(),
            },
        )
        return FileResponse(
            io.BytesIO(pdf),
            content_type="application/pdf",
            filename=f"protokoll-{timezone.localtime(meeting.starts_at):%Y-%m-%d}-{meeting.pk}.pdf",
        )


class MeetingIcsView(MeetingObjectMixin, View):
    """One meeting as an .ics file to add to a calendar."""

    permission = "can_view_meetings"

    def get(self, request, pk):
        response = HttpResponse(
            services.meeting_ics(self.get_meeting()),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="mote-{pk}.ics"'
        return response


class CalendarFeedsView(ProgramPermissionMixin, FormView):
    """The user's calendar links: show, copy, create new (retiring the old one)."""

    permission = "can_view_meetings"
    template_name = "meetings/calendar_feeds.html"
    form_class = CalendarFeedForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def get_context_data(self, **kwargs):
        feeds = [
            (feed, services.feed_url(feed))
            for feed in selectors.calendar_feeds(program=self.program, user=self.request.user)
        ]
        return super().get_context_data(feeds=feeds, **kwargs)

    def form_valid(self, form):
        feed = services.create_calendar_feed(
            actor=self.request.user, program=self.program, place=form.cleaned_data["place"]
        )
        messages.success(
            self.request, _("En ny kalenderlänk för %(name)s är skapad.") % {"name": feed}
        )
        return redirect("meetings:calendar_feeds", program=self.program.slug)


class CalendarFeedRevokeView(ProgramPermissionMixin, View):
    permission = "can_view_meetings"

    def post(self, request, pk):
        # Only the user's own links: someone else's id is a 404.
        feed = get_object_or_404(
            selectors.calendar_feeds(program=self.program, user=request.user), pk=pk
        )
        services.revoke_calendar_feed(actor=request.user, feed=feed)
        messages.success(request, _("Kalenderlänken är återkallad och slutar fungera nu."))
        return redirect("meetings:calendar_feeds", program=self.program.slug)


class MeetingFeedView(View):
    """The iCalendar feed at an unguessable URL: no login (calendar apps cannot log in).

    Unknown or revoked tokens, and feeds of people no longer in the program, are 404. The view
    enters the feed's program scope itself (it is outside /p/<program>/).
    """

    def get(self, request, token):
        found = services.find_calendar_feed(token)
        if found is None:
            raise Http404
        feed, membership = found
        with scope(program=feed.program):
            meetings = selectors.feed_meetings(feed, membership)
            name = f"{feed.program.name} – {feed.place.name if feed.place_id else _('Mina möten')}"
            body = ical.calendar([services.meeting_event(m) for m in meetings], name=name)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=900"
        response["X-Robots-Tag"] = "noindex"
        return response
