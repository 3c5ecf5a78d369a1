"""Demo data for reports: a quarterly Vinnova schedule and one program progress report.

- The schedule sends a quarterly Vinnova lägesrapport to vinnova@demo.test (beat makes the first
  one for the last complete quarter within the hour).
- The report covers the program from its start (1 september 2024) to the day the demo was first
  loaded (the demo's meetings lie in the weeks around "today"), with all four pilots and the
  coordinator's narrative; it is found again by its start, so a later run adds nothing.
- It is *requested* here, not rendered in the step: ``request_report`` queues rendering after
  load_demo's transaction commits. With a worker (docker compose, Redis) the worker renders it;
  in the embedded demo (no broker, eager tasks) it renders inline right after the commit (about
  2–3 s on an idle machine for the four pilots' 12 pages), so a demo login never lands on a
  report stuck at "Väntar". Rendering inside the step would hold the demo transaction open.

Idempotent: both rows are looked up by their natural keys; a second run changes nothing (and a
report that failed or is still pending is left for the sweeper and the retry button).
"""

import datetime

from django.utils import timezone
from django_scopes import scope

from demo.places import _actor
from reports import services
from reports.models import Frequency, Kind, Report, ReportSchedule

PROGRAM = "trygga-platser"
VINNOVA = "vinnova@demo.test"
PERIOD_START = datetime.date(2024, 9, 1)  # the program's start

NARRATIVE = {
    "purpose": (
        "Att pröva en svensk modell för platssamverkan som förenar platsutveckling (BID) med "
        "beprövade brottsförebyggande metoder, på fyra platser i Dalarnas och Västmanlands län: "
        "Avesta, Falun, Sala och Hallstahammar. Målet är ökad trygghet och att offentliga och "
        "privata aktörer tar ett gemensamt ansvar för platsen."
    ),
    "implementation": (
        "Varje plats har gått igenom uppstart och kartläggning, nulägesanalys med "
        "trygghetsmätning och trygghetsvandring, en samverkansorganisation med styrgrupp och "
        "arbetsgrupp, och en handlingsplan med åtgärder som följs upp på styrgruppsmötena."
    ),
    "results": (
        "Samverkan mellan kommun, fastighetsägare, näringsidkare och polis är etablerad på alla "
        "fyra platser. Mer än hälften av handlingsplanernas åtgärder är genomförda eller påbörjade."
    ),
    "effects": (
        "Kortare kontaktvägar mellan förvaltningar, fastighetsägare och handel, en gemensam "
        "lägesbild och en struktur för att arbeta in trygghet i stadsutvecklingen."
    ),
    "deviations": (
        "Svarsfrekvensen i Hallstahammars trygghetsenkät var låg; där kompletterades lägesbilden "
        "med trygghetsintervjuer. Fastighetsägare var svårare att engagera än planerat."
    ),
}


def load(result) -> None:
    """Create the demo schedule and request the demo program report (once)."""
    program = result.programs[PROGRAM]
    actor = _actor(result, PROGRAM)
    with scope(program=program):
        if not ReportSchedule.objects.filter(
            program=program, kind=Kind.VINNOVA, frequency=Frequency.QUARTERLY
        ).exists():
            services.save_schedule(
                actor=actor,
                schedule=ReportSchedule(
                    program=program,
                    kind=Kind.VINNOVA,
                    frequency=Frequency.QUARTERLY,
                    recipient_emails=[VINNOVA],
                    created_by=actor,
                ),
            )
            result.created += 1
        if not Report.objects.filter(
            program=program,
            kind=Kind.PROGRAM,
            schedule__isnull=True,
            period_start=PERIOD_START,
        ).exists():
            services.request_report(
                actor=actor,
                program=program,
                kind=Kind.PROGRAM,
                period_start=PERIOD_START,
                period_end=timezone.localdate(),
                narrative=NARRATIVE,
            )
            result.created += 1
