"""English is available: the switch in the footer works and the catalogue is complete.

The source language is Swedish, so a missing or fuzzy English msgstr silently shows Swedish. These
tests parse ``locale/en/LC_MESSAGES/django.po`` themselves (no polib) and compare it with the
committed ``.mo``, so a fresh machine without gettext runs the same translations.
"""

import ast
import gettext
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# %(name)s / %(n)d style, bare %s / %d, and {{ name }} (blocktranslate variables that slipped
# through). "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|(?<!%)%[sdif]|\{\{\s*[^}]+?\s*\}\}")
HTML_TAG = re.compile(r"<[^>]+>")


def parse_po(path):
    """Return the entries of a .po file as dicts: comments, msgctxt, msgid, msgstr, ...

    An entry starts at a comment or msgctxt/msgid line that follows a msgstr line (makemessages'
    header is not always followed by a blank line). Obsolete ``#~`` entries are skipped.
    """
    entries, current, keyword, seen_msgstr = [], None, None, False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#~"):
            continue
        starts_entry = line.startswith(("#", "msgctxt ", "msgid "))
        if current is None or (starts_entry and seen_msgstr):
            current, keyword, seen_msgstr = {"comments": []}, None, False
            entries.append(current)
        if line.startswith("#"):
            current["comments"].append(line)
        elif line.startswith('"'):
            current[keyword] += ast.literal_eval(line)
        else:
            keyword, value = line.split(" ", 1)
            current[keyword] = ast.literal_eval(value)
            seen_msgstr = seen_msgstr or keyword.startswith("msgstr")
    return entries


def translations(entry):
    """All msgstr values of an entry (one, or one per plural form)."""
    return [value for key, value in sorted(entry.items()) if key.startswith("msgstr")]


@pytest.fixture(scope="module")
def entries():
    parsed = parse_po(PO_PATH)
    assert parsed[0]["msgid"] == "", "the header comes first"
    return parsed


@pytest.fixture(scope="module")
def messages(entries):
    return entries[1:]


@pytest.mark.django_db
def test_accessibility_page_is_swedish_by_default(client):
    response = client.get("/tillganglighet/")
    assert response.status_code == 200
    assert 'lang="sv"' in response.text
    assert "Tillgänglighetsredogörelse" in response.text
    assert "Accessibility statement" not in response.text


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/tillganglighet/"})
    assert response.status_code == 302
    assert response["Location"] == "/tillganglighet/"

    response = client.get("/tillganglighet/")
    assert 'lang="en"' in response.text
    assert "Accessibility statement" in response.text
    assert "Skip to content" in response.text
    assert "Tillgänglighetsredogörelse" not in response.text

    client.post("/i18n/setlang/", {"language": "sv", "next": "/tillganglighet/"})
    assert "Tillgänglighetsredogörelse" in client.get("/tillganglighet/").text


def test_header_declares_english_and_utf8(entries):
    header = entries[0]["msgstr"]
    assert "Language: en\n" in header
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header


def test_po_file_has_no_empty_or_fuzzy_entries(entries, messages):
    assert len(messages) > 100, "makemessages found the project's strings"
    flags = [(e.get("msgid"), c) for e in entries for c in e["comments"] if c.startswith("#,")]
    fuzzy = [msgid for msgid, flag in flags if "fuzzy" in flag]
    assert fuzzy == []
    empty = [e["msgid"] for e in messages if not all(translations(e))]
    assert empty == []


def placeholders(*texts):
    return Counter(match for text in texts for match in PLACEHOLDER.findall(text))


def test_placeholders_and_html_survive_translation(messages):
    problems = []
    for entry in messages:
        if "msgid_plural" not in entry:
            # Singular: the same placeholders, each as often as in the Swedish text.
            same = placeholders(entry["msgid"]) == placeholders(entry["msgstr"])
        else:
            # Plural: a singular form may leave out the count; all forms together use the set.
            source = set(placeholders(entry["msgid"], entry["msgid_plural"]))
            same = source == set(placeholders(*translations(entry)))
        if not same:
            problems.append(entry["msgid"])
        # Links keep their addresses: the same tags in the same order.
        tags = HTML_TAG.findall(entry["msgid"])
        if any(HTML_TAG.findall(t) != tags for t in translations(entry)):
            problems.append(entry["msgid"])
    assert problems == []


def test_compiled_mo_matches_po(messages):
    """The committed .mo holds exactly the .po's translations (no one forgot compilemessages)."""
    with MO_PATH.open("rb") as fp:
        catalog = gettext.GNUTranslations(fp)
    stale = []
    for entry in messages:
        msgid, plural, context = entry["msgid"], entry.get("msgid_plural"), entry.get("msgctxt")
        if plural is None:
            expected = entry["msgstr"]
            got = catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)
        else:
            expected = entry["msgstr[0]"]
            got = (
                catalog.npgettext(context, msgid, plural, 1)
                if context
                else catalog.ngettext(msgid, plural, 1)
            )
        if got != expected:
            stale.append(msgid)
    assert stale == []


@pytest.mark.django_db
def test_allauth_pages_say_e_post_not_epost(client):
    """allauth's Swedish catalogue writes "Epost-adresser"; locale_overrides puts it right."""
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("account_email")).content.decode()
    assert "E-postadresser" in html
    assert "Epost" not in html and "epost" not in html
