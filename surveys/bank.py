"""The standard question bank, as data (domain-research §4.1–4.2).

The data migration ``0002_seed_question_bank`` loads these items; they are kept here so the
migration and the tests read the same list. Each item: a stable ``code``, the kind, Swedish and
English text, the source note, and its fixed answer scale as ``(label_sv, label_en, positive)``
in order; ``positive`` marks the answers that count as "safe" for the safety index.

Wording: the Folkhälsomyndigheten item and the Finnish council's items are quoted verbatim from
the research file. The NTU items are a reconstruction consistent with Brå's published indicator
definitions (the exact questionnaire was not found), hence "Modellerad efter Brå:s NTU".
Boverket gives only the three questions; their answer scales are ours and the source says so.
"""

NTU = "Modellerad efter Brå:s NTU"
FOHM = "Folkhälsomyndigheten, Hälsa på lika villkor"
FINLAND = "Rådet för brottsförebyggande (Finland), säkerhetsenkäten"
BOVERKET = "Boverket, Trygghetsmätningar (svarsskalan är plattformens egen)"
OWN = "Trygga platser (standardfråga)"

SAFE_SCALE = [
    ("Mycket trygg", "Very safe", True),
    ("Ganska trygg", "Fairly safe", True),
    ("Ganska otrygg", "Fairly unsafe", False),
    ("Mycket otrygg", "Very unsafe", False),
]

BANK = [
    {
        "code": "plats-trygg-kvall",
        "kind": "skala",
        "text_sv": "Hur trygg eller otrygg känner du dig när du är här på platsen sent en kväll?",
        "text_en": "How safe or unsafe do you feel when you are here at this place late in the "
        "evening?",
        "source": NTU + " (anpassad till platsen)",
        "options": SAFE_SCALE + [("Är aldrig här på kvällen", "Never here in the evening", False)],
    },
    {
        "code": "fohm-avstar-ga-ut",
        "kind": "skala",
        "text_sv": "Händer det att du avstår från att gå ut ensam av rädsla att bli överfallen, "
        "rånad eller på annat sätt ofredad?",
        "text_en": "Do you ever refrain from going out alone for fear of being attacked, robbed "
        "or otherwise harassed?",
        "source": FOHM,
        "options": [
            ("Nej", "No", True),
            ("Ja, ibland", "Yes, sometimes", False),
            ("Ja, ofta", "Yes, often", False),
        ],
    },
    {
        "code": "ntu-otrygg-kvall",
        "kind": "skala",
        "text_sv": "Om du går ut ensam sent en kväll i det område där du bor, hur trygg eller "
        "otrygg känner du dig då?",
        "text_en": "If you go out alone late in the evening in the area where you live, how safe "
        "or unsafe do you feel?",
        "source": NTU,
        "options": SAFE_SCALE
        + [("Går aldrig ut ensam sent en kväll", "Never go out alone late in the evening", False)],
    },
    {
        "code": "ntu-oro-brottslighet",
        "kind": "skala",
        "text_sv": "I vilken utsträckning oroar du dig över brottsligheten i samhället?",
        "text_en": "To what extent do you worry about crime in society?",
        "source": NTU,
        "options": [
            ("I mycket stor utsträckning", "To a very great extent", False),
            ("I ganska stor utsträckning", "To a fairly great extent", False),
            ("I ganska liten utsträckning", "To a fairly small extent", True),
            ("I mycket liten utsträckning", "To a very small extent", True),
            ("Inte alls", "Not at all", True),
        ],
    },
    {
        "code": "ntu-undvikit",
        "kind": "flerval",
        "text_sv": "Har du under de senaste 12 månaderna gjort något av följande på grund av oro "
        "för att utsättas för brott?",
        "text_en": "In the last 12 months, have you done any of the following because you were "
        "worried about becoming a victim of crime?",
        "source": NTU,
        "options": [
            (
                "Valt en annan väg eller ett annat färdsätt",
                "Chosen another route or means of transport",
                False,
            ),
            ("Avstått från någon aktivitet", "Refrained from an activity", False),
            ("Undvikit vissa platser", "Avoided certain places", False),
            ("Nej, inget av detta", "No, none of these", True),
        ],
    },
    {
        "code": "ntu-utsatt",
        "kind": "flerval",
        "text_sv": "Har du under de senaste 12 månaderna blivit utsatt för något av följande här "
        "i området?",
        "text_en": "In the last 12 months, have you been a victim of any of the following here "
        "in the area?",
        "source": NTU,
        "options": [
            ("Stöld", "Theft", False),
            ("Skadegörelse", "Vandalism", False),
            ("Hot", "Threats", False),
            ("Fysiskt våld", "Physical violence", False),
            ("Nej, inget av detta", "No, none of these", True),
        ],
    },
    {
        "code": "fi-problem",
        "kind": "skala",
        "text_sv": "Hur stort problem upplever du att brottslighet och ordningsstörningar är "
        "inom ditt bostadsområde?",
        "text_en": "How big a problem do you feel crime and public disorder are in your "
        "neighbourhood?",
        "source": FINLAND,
        "options": [
            ("Inget alls", "None at all", True),
            ("Mycket litet", "Very small", True),
            ("Litet", "Small", True),
            ("Stort", "Big", False),
            ("Mycket stort", "Very big", False),
        ],
    },
    {
        "code": "fi-radd-vald-kvall",
        "kind": "skala",
        "text_sv": "Har du under de senaste 12 månaderna varit rädd för att bli utsatt för våld "
        "inom ditt bostadsområde under kvällstid?",
        "text_en": "In the last 12 months, have you been afraid of becoming a victim of violence "
        "in your neighbourhood in the evening?",
        "source": FINLAND,
        "options": [
            ("Aldrig", "Never", True),
            ("En eller två gånger per år", "Once or twice a year", False),
            ("Flera gånger per år", "Several times a year", False),
            (
                "Jag rör mig inte utanför hemmet under kvällstid på grund av rädsla",
                "I do not go out in the evening because of fear",
                False,
            ),
            (
                "Jag rör mig inte utanför hemmet under kvällstid av andra orsaker",
                "I do not go out in the evening for other reasons",
                False,
            ),
        ],
    },
    {
        "code": "fi-undviker-omrade",
        "kind": "skala",
        "text_sv": "Finns det nära ditt hem, inom en radie av ca en kilometer, något område du "
        "undviker på grund av hot om våld?",
        "text_en": "Near your home, within a radius of about one kilometre, is there any area "
        "you avoid because of the threat of violence?",
        "source": FINLAND,
        "options": [
            ("Nej", "No", True),
            ("Ja, ett visst område", "Yes, one particular area", False),
            ("Ja, flera områden", "Yes, several areas", False),
        ],
    },
    {
        "code": "fi-undviker-varfor",
        "kind": "fritext",
        "text_sv": "Om du undviker något område: vilka platser är det, och varför?",
        "text_en": "If you avoid an area: which places are they, and why?",
        "source": FINLAND,
        "options": [],
    },
    {
        "code": "boverket-utsatt",
        "kind": "skala",
        "text_sv": "Har du varit utsatt för brott under det senaste året?",
        "text_en": "Have you been a victim of crime in the past year?",
        "source": BOVERKET,
        "options": [
            ("Nej", "No", True),
            ("Ja, en gång", "Yes, once", False),
            ("Ja, flera gånger", "Yes, several times", False),
        ],
    },
    {
        "code": "boverket-oro",
        "kind": "skala",
        "text_sv": "Känner du oro för att utsättas för brott?",
        "text_en": "Do you worry about becoming a victim of crime?",
        "source": BOVERKET,
        "options": [
            ("Nej", "No", True),
            ("Ja, ibland", "Yes, sometimes", False),
            ("Ja, ofta", "Yes, often", False),
        ],
    },
    {
        "code": "boverket-trygg-kvall",
        "kind": "skala",
        "text_sv": "Känner du dig trygg i ditt bostadsområde på kvällarna?",
        "text_en": "Do you feel safe in your neighbourhood in the evenings?",
        "source": BOVERKET,
        "options": [
            ("Ja, alltid", "Yes, always", True),
            ("Ja, oftast", "Yes, mostly", True),
            ("Nej, sällan", "No, seldom", False),
            ("Nej, aldrig", "No, never", False),
        ],
    },
    {
        "code": "karta-otrygg",
        "kind": "kartpunkt",
        "text_sv": "Var känner du dig otrygg?",
        "text_en": "Where do you feel unsafe?",
        "source": OWN,
        "options": [],
    },
    {
        "code": "zon",
        "kind": "zon",
        "text_sv": "Vilken del av platsen svarar du om?",
        "text_en": "Which part of the place are you answering about?",
        "source": OWN,
        "options": [],
    },
    {
        "code": "fritext-tryggare",
        "kind": "fritext",
        "text_sv": "Vad skulle få dig att känna dig tryggare här?",
        "text_en": "What would make you feel safer here?",
        "source": OWN,
        "options": [],
    },
    {
        "code": "kon",
        "kind": "kon",
        "text_sv": "Vilket kön har du?",
        "text_en": "What is your gender?",
        "source": OWN,
        "options": [
            ("Kvinna", "Woman", False),
            ("Man", "Man", False),
            ("Annat", "Other", False),
            ("Vill inte svara", "Prefer not to say", False),
        ],
    },
    {
        "code": "alder",
        "kind": "alder",
        "text_sv": "Hur gammal är du?",
        "text_en": "How old are you?",
        "source": OWN,
        "options": [
            ("15 år eller yngre", "15 or younger", False),
            ("16–24 år", "16–24", False),
            ("25–44 år", "25–44", False),
            ("45–64 år", "45–64", False),
            ("65 år eller äldre", "65 or older", False),
            ("Vill inte svara", "Prefer not to say", False),
        ],
    },
]
