"""The "inside Sweden" check: Swedish border and coastal places in, the neighbours' towns out."""

import pytest
from django.core.exceptions import ValidationError

from platser.geo import SWEDEN_OUTLINE, _check_simple_ring, validate_point, validate_polygon

SWEDISH = {
    "Avesta": (16.1675, 60.1445),
    "Storlien": (12.10, 63.32),
    "Riksgränsen": (18.12, 68.43),
    "Treriksröset (svenska sidan)": (20.50, 69.04),
    "Karesuando": (22.48, 68.44),
    "Haparanda": (24.13, 65.83),
    "Övertorneå": (23.65, 66.39),
    "Smygehuk": (13.36, 55.34),
    "Falsterbo": (12.82, 55.40),
    "Malmö, Västra hamnen": (12.97, 55.61),
    "Ven": (12.69, 55.91),
    "Helsingborg": (12.70, 56.05),
    "Kullen": (12.46, 56.30),
    "Strömstad": (11.17, 58.94),
    "Koster": (11.03, 58.88),
    "Smögen": (11.22, 58.35),
    "Vinga": (11.61, 57.63),
    "Charlottenberg": (12.29, 59.88),
    "Töcksfors": (11.84, 59.51),
    "Grövelsjön": (12.31, 62.10),
    "Hemavan": (15.09, 65.82),
    "Kiruna": (20.23, 67.86),
    "Visby": (18.29, 57.64),
    "Fårö": (19.30, 57.95),
    "Öland, södra udden": (16.40, 56.20),
    "Söderarm": (19.40, 59.75),
    "Öregrund": (18.45, 60.34),
    "Holmön": (20.88, 63.80),
    "Luleå": (22.15, 65.58),
    "Ystad": (13.82, 55.43),
}

FOREIGN = {
    "Oslo": (10.75, 59.91),
    "Köpenhamn": (12.57, 55.68),
    "Helsingør": (12.60, 56.03),
    "Saltholm": (12.77, 55.64),
    "Bornholm, Hammeren": (14.76, 55.29),
    "Rønne": (14.70, 55.10),
    "Anholt": (11.60, 56.70),
    "Läsø": (11.00, 57.25),
    "Mariehamn": (19.94, 60.10),
    "Åbo": (22.27, 60.45),
    "Vasa": (21.62, 63.10),
    "Kokkola": (23.13, 63.84),
    "Kilpisjärvi": (20.80, 69.05),
    "Narvik": (17.42, 68.44),
    "Mo i Rana": (14.14, 66.31),
    "Trondheim": (10.40, 63.43),
    "Kongsvinger": (12.00, 60.19),
    "Tallinn": (24.75, 59.44),
    "Helsingfors": (24.94, 60.17),
}


@pytest.mark.parametrize("name", sorted(SWEDISH))
def test_swedish_places_are_inside(name):
    lon, lat = SWEDISH[name]
    assert validate_point({"type": "Point", "coordinates": [lon, lat]})


@pytest.mark.parametrize("name", sorted(FOREIGN))
def test_neighbouring_places_are_outside(name):
    lon, lat = FOREIGN[name]
    with pytest.raises(ValidationError, match="i Sverige"):
        validate_point({"type": "Point", "coordinates": [lon, lat]})


def test_the_outline_is_itself_a_valid_simple_polygon():
    ring = SWEDEN_OUTLINE["coordinates"][0]
    assert ring[0] == ring[-1]
    _check_simple_ring([tuple(p) for p in ring])


def test_a_polygon_reaching_into_norway_is_refused():
    with pytest.raises(ValidationError, match="i Sverige"):
        validate_polygon(
            {
                "type": "Polygon",
                "coordinates": [[[11.5, 59.3], [10.7, 59.9], [11.0, 59.95], [11.5, 59.3]]],
            }
        )
