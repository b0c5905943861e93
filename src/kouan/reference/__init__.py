"""Reference data loaded from installed packages and small in-repo tables: pure, no database, no web."""

from kouan.reference.airports import Airport, Place, airport, city_airports, place
from kouan.reference.countries import Country, countries, country, normalise_country
from kouan.reference.regions import Region, china_province, provinces, region, region_for_jhu, region_name, regions

__all__ = [
    "Airport",
    "Country",
    "Place",
    "Region",
    "airport",
    "china_province",
    "city_airports",
    "countries",
    "country",
    "normalise_country",
    "place",
    "provinces",
    "region",
    "region_for_jhu",
    "region_name",
    "regions",
]
