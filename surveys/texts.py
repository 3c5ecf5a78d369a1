"""The respondent-facing texts of the public answering page, per survey language.

They live with the survey's languages rather than in the UI catalogue: a survey may be offered
in languages the coordinators' interface is not translated to (e.g. Arabic, Tigrinya), so the
page takes its few fixed texts from here and falls back to English, then Swedish.
"""

RTL_LANGUAGES = {"ar", "fa"}

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "lang_name": "Svenska",
        "language": "Språk",
        "intro": "Hur trygg känner du dig på {places}? Svara anonymt, det tar ungefär två minuter.",
        "anonymous": "Dina svar är anonyma. Vi sparar inte din IP-adress, din webbläsare eller "
        "någon kaka, och bara datumet då du svarade.",
        "optional": "Alla frågor går att hoppa över.",
        "place": "Vilken plats svarar du om?",
        "submit": "Skicka svaren",
        "errors_title": "Svaren kunde inte skickas. Rätta det här:",
        "invalid_option": "Välj ett av svarsalternativen.",
        "invalid_place": "Välj en av platserna i listan.",
        "invalid_zone": "Välj en av delarna av platsen i listan.",
        "point_invalid": "Markeringen på kartan kunde inte läsas. Markera igen eller hoppa över "
        "frågan.",
        "point_outside": "Markeringen ligger utanför {place}. Markera en punkt inom platsen eller "
        "hoppa över frågan.",
        "text_too_long": "Svaret är för långt: högst {max} tecken (du skrev {n}).",
        "at_least_one": "Svara på minst en fråga innan du skickar.",
        "map_hint": "Tryck på kartan där du känner dig otrygg. Med tangentbordet: flytta kartan "
        "med piltangenterna och markera mitten med Enter. Frågan går att hoppa över.",
        "map_show": "Visa kartan",
        "map_clear": "Ta bort markeringen",
        "map_chosen": "En punkt är markerad.",
        "thanks_title": "Tack för dina svar!",
        "thanks_body": "Dina svar är sparade anonymt. De hjälper kommunen och dess partner att "
        "göra platsen tryggare.",
        "closed_title": "Enkäten är stängd",
        "closed_body": "Enkäten var öppen {opens} – {closes}. Det går inte längre att svara.",
        "not_open_title": "Enkäten har inte öppnat än",
        "not_open_body": "Enkäten är öppen {opens} – {closes}. Välkommen tillbaka då!",
        "rate_limited": "Det har kommit väldigt många svar från samma uppkoppling på kort tid. "
        "Vänta några minuter och försök igen.",
        "honeypot": "Lämna det här fältet tomt",
        "open_dates": "Öppen {opens} – {closes}",
        "conflict": "Dina svar var redan skickade, med andra svar än de här. De första svaren är "
        "sparade; de här sparades inte. Vill du svara en gång till kan du fylla i enkäten nedan.",
    },
    "en": {
        "lang_name": "English",
        "language": "Language",
        "intro": "How safe do you feel at {places}? Answer anonymously; it takes about two "
        "minutes.",
        "anonymous": "Your answers are anonymous. We do not store your IP address, your browser "
        "or any cookie, and only the date you answered.",
        "optional": "You may skip any question.",
        "place": "Which place are you answering about?",
        "submit": "Send your answers",
        "errors_title": "Your answers could not be sent. Please correct this:",
        "invalid_option": "Choose one of the answers.",
        "invalid_place": "Choose one of the places in the list.",
        "invalid_zone": "Choose one of the parts of the place in the list.",
        "point_invalid": "The mark on the map could not be read. Mark again or skip the question.",
        "point_outside": "The mark is outside {place}. Mark a point within the place or skip the "
        "question.",
        "text_too_long": "The answer is too long: at most {max} characters (you wrote {n}).",
        "at_least_one": "Answer at least one question before sending.",
        "map_hint": "Tap the map where you feel unsafe. With a keyboard: move the map with the "
        "arrow keys and mark its centre with Enter. You may skip this question.",
        "map_show": "Show the map",
        "map_clear": "Remove the mark",
        "map_chosen": "A point is marked.",
        "thanks_title": "Thank you for your answers!",
        "thanks_body": "Your answers are stored anonymously. They help the municipality and its "
        "partners make the place safer.",
        "closed_title": "The survey is closed",
        "closed_body": "The survey was open {opens} – {closes}. It is no longer possible to "
        "answer.",
        "not_open_title": "The survey has not opened yet",
        "not_open_body": "The survey is open {opens} – {closes}. Welcome back then!",
        "rate_limited": "Very many answers have come from the same connection in a short time. "
        "Please wait a few minutes and try again.",
        "honeypot": "Leave this field empty",
        "open_dates": "Open {opens} – {closes}",
        "conflict": "Your answers had already been sent, with other answers than these. The "
        "first answers are stored; these were not. To answer once more, fill in the survey below.",
    },
}


def texts_for(language: str) -> dict[str, str]:
    """The page texts in ``language``, with English then Swedish filling any gap."""
    merged = dict(TEXTS["sv"])
    merged.update(TEXTS["en"] if language != "sv" else {})
    merged.update(TEXTS.get(language, {}))
    return merged
