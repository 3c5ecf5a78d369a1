"""Safety surveys (trygghetsmätning): a question bank, surveys per place and wave, and the
anonymous responses to them.

Tenancy of questions: a ``Question`` either belongs to the shared **standard bank** (``program``
is NULL, seeded by a data migration, read-only for everyone) or to **one program** (``program``
set, added by its coordinators). The two live behind two managers:

- ``Question.objects`` is the scoped manager: it only ever returns the active program's own
  questions and raises outside a scope (fail closed, like every program-owned model);
- ``Question.bank`` is a plain manager over the standard items (``program IS NULL``) only.

There is deliberately no manager that returns every program's questions; the selector
``surveys.selectors.available_questions`` ORs the two. ``AnswerOption`` has no program of its own:
it is only ever reached through its question.

Anonymity (domain-research §6.3, peer-systems §10): a ``Response`` stores no IP address, user
agent, cookie or user; its time is the date only. A multiple-choice answer is one ``Answer`` row
per chosen option, so results count per option, never per combination.
"""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from partnerships.models import Program, ProgramOwned
from platser.models import Place, Zone

LANGUAGES = [
    ("sv", "Svenska"),
    ("en", "English"),
    ("ar", "العربية"),
    ("fa", "دری"),
    ("ti", "ትግርኛ"),
    ("so", "Soomaali"),
    ("fi", "Suomi"),
]

TEXT_ANSWER_MAX_LENGTH = 1000


def new_token() -> str:
    """The unguessable public link token of a survey (128 bits)."""
    return secrets.token_urlsafe(16)


class QuestionKind(models.TextChoices):
    SCALE = "skala", _("Skala (ett svar)")
    MULTIPLE = "flerval", _("Flerval")
    POINT = "kartpunkt", _("Punkt på kartan")
    ZONE = "zon", _("Zon")
    GENDER = "kon", _("Svarsgrupp: kön")
    AGE = "alder", _("Svarsgrupp: åldersgrupp")
    TEXT = "fritext", _("Fritext")


#: Kinds answered by choosing option(s).
CHOICE_KINDS = {QuestionKind.SCALE, QuestionKind.MULTIPLE, QuestionKind.GENDER, QuestionKind.AGE}


class BankQuestionManager(models.Manager):
    """The shared standard items (no program). Never returns a program's own questions."""

    def get_queryset(self):
        return super().get_queryset().filter(program__isnull=True)


class Question(ProgramOwned):
    """One question: a standard bank item (``program`` NULL) or a program's own item.

    Invariants: ``text_sv`` is required; bank items have a unique ``code`` (the data migration
    and the results use it to find e.g. the safety item); choice kinds have ``AnswerOption``s;
    ``translations`` holds further languages as ``{"ar": "…", …}`` (question text only; option
    labels carry their own). A question used by a survey with responses is never edited.
    """

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("program"),
        help_text=_("Tomt för standardfrågor i frågebanken."),
    )
    code = models.SlugField(_("kod"), max_length=50, blank=True)
    kind = models.CharField(_("typ"), max_length=20, choices=QuestionKind)
    text_sv = models.CharField(_("fråga (svenska)"), max_length=500)
    text_en = models.CharField(_("fråga (engelska)"), max_length=500, blank=True)
    translations = models.JSONField(_("fler språk"), default=dict, blank=True)
    source = models.CharField(
        _("källa"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. ”Folkhälsomyndigheten” eller ”Modellerad efter Brå:s NTU”."),
    )
    position = models.PositiveSmallIntegerField(_("ordning i banken"), default=0)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    # Declared here again so that it stays the default manager beside ``bank``.
    objects = ScopedManager(program="program")
    bank = BankQuestionManager()

    class Meta:
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(program__isnull=True) & ~models.Q(code=""),
                name="question_unique_bank_code",
            ),
            models.CheckConstraint(
                condition=~models.Q(text_sv=""), name="question_text_sv_required"
            ),
        ]

    def __str__(self):
        return self.text_sv

    @property
    def is_bank_item(self) -> bool:
        return self.program_id is None

    @property
    def has_options(self) -> bool:
        return self.kind in CHOICE_KINDS

    def text_for(self, language: str) -> str:
        """The question in ``language``, falling back to Swedish."""
        if language == "sv":
            return self.text_sv
        if language == "en":
            return self.text_en or self.text_sv
        return self.translations.get(language) or self.text_en or self.text_sv


class AnswerOption(models.Model):
    """One fixed answer of a choice question, in scale order.

    ``value`` is the option's stable code within the question (1…n on a scale; used in exports).
    ``is_positive`` marks the answers that count as "safe" for the safety index (e.g. *Mycket
    trygg* and *Ganska trygg*). Invariants: position and value are unique within the question.
    """

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("fråga")
    )
    position = models.PositiveSmallIntegerField(_("ordning"))
    value = models.PositiveSmallIntegerField(_("värde"))
    label_sv = models.CharField(_("svar (svenska)"), max_length=200)
    label_en = models.CharField(_("svar (engelska)"), max_length=200, blank=True)
    translations = models.JSONField(_("fler språk"), default=dict, blank=True)
    is_positive = models.BooleanField(_("räknas som trygg"), default=False)

    class Meta:
        verbose_name = _("svarsalternativ")
        verbose_name_plural = _("svarsalternativ")
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], name="answeroption_unique_position"
            ),
            models.UniqueConstraint(fields=["question", "value"], name="answeroption_unique_value"),
        ]

    def __str__(self):
        return self.label_sv

    def label_for(self, language: str) -> str:
        if language == "sv":
            return self.label_sv
        if language == "en":
            return self.label_en or self.label_sv
        return self.translations.get(language) or self.label_en or self.label_sv


class TargetGroup(models.TextChoices):
    RESIDENTS = "boende", _("Boende")
    VISITORS = "besokare", _("Besökare")
    BUSINESSES = "naringsidkare", _("Näringsidkare")


class Survey(ProgramOwned):
    """A safety survey of one or several places in one wave.

    ``wave`` 0 is the nollmätning (baseline), 1, 2 … the follow-ups. Invariants: the token is
    unique and unguessable; ``closes_on`` is not before ``opens_on``; ``languages`` is a list of
    language codes starting with "sv". Once a response exists its questions are locked (enforced
    by ``surveys.services``).
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("program")
    )
    places = models.ManyToManyField(Place, related_name="surveys", verbose_name=_("platser"))
    title = models.CharField(_("titel"), max_length=200)
    wave = models.PositiveSmallIntegerField(
        _("mätomgång"), default=0, help_text=_("0 = nollmätning, 1 = uppföljning 1 …")
    )
    target_group = models.CharField(
        _("målgrupp"), max_length=20, choices=TargetGroup, default=TargetGroup.RESIDENTS
    )
    opens_on = models.DateField(_("öppnar"))
    closes_on = models.DateField(_("stänger"))
    languages = models.JSONField(_("språk"), default=list)
    token = models.CharField(_("publik nyckel"), max_length=32, unique=True, default=new_token)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("enkät")
        verbose_name_plural = _("enkäter")
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_opens",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:detail", kwargs={"program": self.program.slug, "pk": self.pk})

    def get_public_url(self):
        return reverse("surveys_public:answer", kwargs={"token": self.token})

    @property
    def wave_label(self) -> str:
        if self.wave == 0:
            return str(_("Nollmätning"))
        return str(_("Uppföljning %(n)s") % {"n": self.wave})

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    def state_on(self, day) -> str:
        """``"not_open"``, ``"open"`` or ``"closed"`` on ``day``."""
        if day < self.opens_on:
            return "not_open"
        return "open" if day <= self.closes_on else "closed"


class SurveyQuestion(ProgramOwned):
    """A question's place in a survey. Invariant: a question appears once per survey, and
    positions are unique within the survey."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="survey_questions", verbose_name=_("enkät")
    )
    question = models.ForeignKey(
        Question, on_delete=models.RESTRICT, related_name="+", verbose_name=_("fråga")
    )
    position = models.PositiveSmallIntegerField(_("ordning"))

    class Meta:
        verbose_name = _("enkätfråga")
        verbose_name_plural = _("enkätfrågor")
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "question"], name="surveyquestion_unique_question"
            ),
            models.UniqueConstraint(
                fields=["survey", "position"], name="surveyquestion_unique_position"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.question}"


class Channel(models.TextChoices):
    WEB = "webb", _("Webb")
    PAPER = "papper", _("Papper")


class Response(ProgramOwned):
    """One anonymous respondent's answers.

    Stores no IP address, user agent, cookie id or user, and only the date of submission.
    ``client_submission_id`` is generated in the browser (or by the server as a fallback) so a
    repeated submission is stored once. ``place`` is the place answered about (always set; the
    survey's only place when it has one).
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("enkät")
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plats"),
    )
    submitted_on = models.DateField(_("inskickad"))
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel, default=Channel.WEB)
    client_submission_id = models.UUIDField(_("inskicknings-id"))
    language = models.CharField(_("språk"), max_length=8, default="sv")

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["survey", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "client_submission_id"], name="response_unique_submission"
            ),
        ]
        indexes = [
            models.Index(fields=["survey", "place"], name="response_survey_place"),
            # The program's newest response dates the dashboard's cached figures, a survey's
            # newest its cached safety counts.
            models.Index(fields=["program", "-id"], name="response_program_latest"),
            models.Index(fields=["survey", "-id"], name="response_survey_latest"),
        ]

    def __str__(self):
        return f"{self.survey} #{self.pk}"


class Answer(ProgramOwned):
    """One answer to one question in a response.

    Exactly one of ``option``, ``text``, ``point`` or ``zone`` carries the answer, depending on
    the question's kind; a multiple-choice question has one row per chosen option. ``survey`` is
    copied from the response so results can be counted with one index (survey, question, option).
    ``point`` is a GeoJSON Point inside the response's place. A zone later removed from its
    place leaves its answers without a zone (``SET_NULL``); every other reference is
    ``RESTRICT``: a question, option or place with answers cannot be deleted on its own, only
    together with its whole program.
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="+", verbose_name=_("enkät")
    )
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("svar")
    )
    question = models.ForeignKey(
        Question, on_delete=models.RESTRICT, related_name="+", verbose_name=_("fråga")
    )
    option = models.ForeignKey(
        AnswerOption,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("svarsalternativ"),
    )
    text = models.CharField(_("fritext"), max_length=TEXT_ANSWER_MAX_LENGTH, blank=True)
    point = models.JSONField(_("punkt"), null=True, blank=True)
    zone = models.ForeignKey(
        Zone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zon"),
    )

    class Meta:
        verbose_name = _("delsvar")
        verbose_name_plural = _("delsvar")
        ordering = ["response", "pk"]
        indexes = [
            models.Index(fields=["survey", "question", "option"], name="answer_results"),
            # Results (surveys.results): the per-survey GROUP BY and the breakdown self-join read
            # only this index (an index-only scan on PostgreSQL). Plain key columns rather than
            # INCLUDE, which SQLite does not support.
            models.Index(
                fields=["survey", "question", "option", "zone", "program", "response"],
                name="answer_results_cover",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "option"],
                condition=models.Q(option__isnull=False),
                name="answer_unique_option_per_response",
            ),
        ]

    def __str__(self):
        return f"{self.response_id}: {self.question_id}"


class ResultsSnapshot(models.Model):
    """The responses a survey's published results count: those up to ``last_response_id``.

    Results move only in steps (``surveys.results.snapshots``): a new snapshot is taken at most
    once a day and only when at least MIN_CELL responses have come since the last one, except
    that the first read after the survey has closed takes all of them (``final``). Responses are
    only ever added, so an id bound is the set. Invariant: one row per survey.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("program")
    )
    survey = models.OneToOneField(
        Survey, on_delete=models.CASCADE, related_name="results_snapshot", verbose_name=_("enkät")
    )
    last_response_id = models.BigIntegerField(_("senaste svar som räknas"), null=True, blank=True)
    responses = models.PositiveIntegerField(_("antal svar som räknas"), default=0)
    taken_on = models.DateField(_("uppdaterad"))
    final = models.BooleanField(_("efter att enkäten stängt"), default=False)
    # The counts of the safety index up to some response id (surveys.results.waves): answers
    # are never changed, so counts up to an id never change either; kept here so that a survey
    # with a million answers is counted once even when the cache is empty or down, and a moved
    # snapshot counts only the responses since. {"question": id, "upto": id, "answers":
    # [[place, option, n], …], "responses": [[place, n], …]}
    safety_counts = models.JSONField(_("trygghetsindexets räkning"), default=dict, blank=True)

    objects = ScopedManager(program="program")

    class Meta:
        verbose_name = _("resultatomgång")
        verbose_name_plural = _("resultatomgångar")

    def __str__(self):
        return f"{self.survey}: {self.responses} ({self.taken_on})"
