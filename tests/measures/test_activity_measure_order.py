"""The activity form offers a partner their own organisation's measures first (issue 13)."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.factories import MeasureFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_activity_form_lists_the_partners_own_measures_first(
    client_for, partner, coordinator, place, organisation
):
    other = OrganisationFactory(program=place.program, name="Avesta kommun")
    MeasureFactory(place=place, responsible=other, title="Aaa klotterplan")
    MeasureFactory(place=place, responsible=organisation, title="Ööö belysning vid entrén")
    helped = MeasureFactory(place=place, responsible=other, title="Mmm städdag")
    with scopes_disabled():  # test set-up of a many-to-many row
        helped.contributors.add(organisation)
    url = reverse(
        "measures:activity_create", kwargs={"program": place.program.slug, "place": place.pk}
    )

    html = client_for(partner).get(url).text
    select = html[
        html.index('name="measure"') : html.index("</select>", html.index('name="measure"'))
    ]

    ours = select.index('label="Er organisations åtgärder"')
    rest = select.index('label="Övriga åtgärder på platsen"')
    assert ours < select.index("Mmm städdag") < select.index("Ööö belysning") < rest
    assert rest < select.index("Aaa klotterplan")
    # A coordinator logs for any organisation: one list, by title.
    coordinator_html = client_for(coordinator).get(url).text
    assert "Er organisations åtgärder" not in coordinator_html
