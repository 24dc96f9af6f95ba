"""Whether a short name is a place: a country or a first-level subdivision (state, province).

Datelines bracket both agencies ("KABUL (Reuters)") and places ("KABUL (Afghanistan)",
"LAHORE (Punjab)"); only the first credits a source.  Read as a credit, a place would make every
outlet that datelines its copy the same way one "source", so the corroboration count would drop
for a reason that is not there.  The names come from ISO 3166 (``pycountry``), not from a list
written here: common, official and short names of the countries, the names of their
subdivisions, and the part before a comma ("Korea, Republic of").  A name ISO does not use
("Russia" for the Russian Federation, "Britain") is missed and read as before.  Two-letter
codes are left out on purpose: "PA" (the Press Association) is also Panama's code.
"""

from __future__ import annotations

from functools import cache

__all__ = ["names_a_place"]


def names_a_place(text: str) -> bool:
    """True when ``text`` is, as a whole, the name of a country or of a country's subdivision."""
    return _key(text) in _place_names()


def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


@cache
def _place_names() -> frozenset[str]:
    """Every country and subdivision name, case-folded; read once (about 5,000 subdivisions).

    ``pycountry`` is imported here, not with the module: every command imports the data model,
    and only a dateline with brackets needs the names (33 ms to import, 60 ms to read)."""
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        for field in ("name", "official_name", "common_name"):
            value = getattr(country, field, None)
            if value:  # "Palestine, State of" is also "Palestine"
                names.update({_key(value), _key(value.split(",")[0])})
    for subdivision in pycountry.subdivisions:
        names.add(_key(subdivision.name))
    return frozenset(names)
