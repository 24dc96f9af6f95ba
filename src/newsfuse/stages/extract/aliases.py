"""Small, hand-checked word lists that canonical entity merging relies on.

Fuzzy matching finds most spelling variants on its own ("Tehreek"/"Tehrik", "Defence"/"Defense"),
but country names are where it fails both ways: "Turkey"/"Türkiye" are only 77 % alike, while
"Austria"/"Australia" or "Dominica"/"Dominican Republic" are dangerously alike.  So country names are
settled by :data:`COUNTRY_ALIASES` and never by fuzzy matching.  Everything here is compared after
:func:`~newsfuse.stages.extract.canonical.fold` (lower case, accents stripped), so "Türkiye" and
"turkiye" are one entry.

The other lists are the lexicon of the rules in :mod:`newsfuse.stages.extract.canonical`: titles
stripped from personal names, words of page furniture, words that make a name an organisation.
Keep them short and general; a story-specific name does not belong here.
"""

from __future__ import annotations

__all__ = [
    "COUNTRY_ALIASES",
    "FURNITURE_LINE_PREFIXES",
    "FURNITURE_WORDS",
    "HONORIFICS",
    "LOCATIVE_PREPOSITIONS",
    "ORG_HEAD_WORDS",
    "PLACE_NOUNS",
    "ROLE_TITLE_WORDS",
]

# Canonical English exonym → other names and spellings news outlets use for the same country.
# Keys and values are in folded form (see canonical.fold): lower case, no accents.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "turkey": ("turkiye", "republic of turkey", "republic of turkiye"),
    "united states": ("us", "u.s.", "usa", "u.s.a.", "united states of america"),
    "united kingdom": ("uk", "u.k.", "britain", "great britain"),
    "myanmar": ("burma",),
    "czech republic": ("czechia",),
    "ivory coast": ("cote d'ivoire",),
    "eswatini": ("swaziland",),
    "north macedonia": ("macedonia",),
    "cape verde": ("cabo verde",),
    "east timor": ("timor-leste", "timor leste"),
    "netherlands": ("holland",),
    "united arab emirates": ("uae", "u.a.e."),
    "democratic republic of the congo": ("drc", "dr congo"),
    "afghanistan": ("islamic emirate of afghanistan",),
    "pakistan": ("islamic republic of pakistan",),
    "iran": ("islamic republic of iran",),
    "russia": ("russian federation",),
    "south korea": ("republic of korea",),
    "north korea": ("dprk", "democratic people's republic of korea"),
    "china": ("people's republic of china", "prc"),
    "taiwan": ("republic of china",),
    "syria": ("syrian arab republic",),
}

# Always mark a person; stripped from the front of any name ("Ms Varga" → "Varga").
HONORIFICS = frozenset(
    {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir", "dame", "prof", "prof."}
)

# Words of a role title in front of a personal name ("Defence Minister Khawaja Asif", "Minister for
# Information and Broadcasting Attaullah Tarar"); stripped from the front of PERSON names only.
ROLE_TITLE_WORDS = frozenset(
    {
        "acting", "adviser", "advisor", "ambassador", "capt", "capt.", "captain", "chairman",
        "chairwoman", "chief", "col", "col.", "colonel", "commander", "defence", "defense",
        "deputy", "director", "economic", "envoy", "federal", "finance", "foreign", "former",
        "gen", "gen.", "general", "governor", "home", "information", "interior", "judge",
        "justice", "king", "lt", "lt.", "maj", "major", "minister", "pope", "premier",
        "president", "prime", "prince", "princess", "queen", "rep", "rep.", "secretary",
        "sen", "sen.", "senator", "sheikh", "special", "spokesman", "spokesperson",
        "spokeswoman", "state", "transport", "vice",
        "for", "of", "and", "the",  # linkers inside a title ("Minister for ... and ...")
    }
)  # fmt: skip

# Words a personal name does not end with; an ORG form ending with one stays an ORG even when it
# shares a word with a person ("Varga Union" is not Ms Varga).
ORG_HEAD_WORDS = frozenset(
    {
        "agency", "army", "association", "authority", "bank", "board", "bureau", "club",
        "commission", "committee", "company", "corporation", "council", "court", "daily",
        "department", "federation", "force", "forces", "foundation", "front", "group",
        "herald", "inc", "institute", "league", "line", "ministry", "movement", "news",
        "office", "organisation", "organization", "party", "post", "press", "service",
        "society", "staff", "times", "tribune", "union", "university",
    }
)  # fmt: skip

# Whole mentions made only of these words are page furniture ("Read More", "Happen Next"), never a
# story's entity.  Compared per word, lower-cased; an all-capitals word ("US") never counts.
FURNITURE_WORDS = frozenset(
    {
        "about", "advertisement", "also", "click", "comment", "comments", "contact", "could",
        "did", "follow", "happen", "here", "home", "latest", "like", "live", "login", "more",
        "most", "newsletter", "next", "now", "popular", "read", "related", "see", "share",
        "sign", "stories", "subscribe", "top", "trending", "up", "video", "watch", "what",
        "why",
    }
)  # fmt: skip

# A line starting with one of these (then ":" or "|") links to another page; its names are not ours.
FURNITURE_LINE_PREFIXES = (
    "read more",
    "also read",
    "read also",
    "related",
    "see also",
    "more on this",
    "recommended",
    "tags",
    "watch",
)

# "at/in Tora Bora": a name after one of these is a place (unless other evidence says person).
LOCATIVE_PREPOSITIONS = frozenset(
    {"at", "in", "near", "inside", "outside", "around", "across", "into", "toward", "towards"}
)

# "the port of Castellan": a name after "<one of these> of" is a place.
PLACE_NOUNS = frozenset(
    {
        "capital", "city", "district", "island", "mountains", "port", "province", "region",
        "state", "town", "valley", "village",
    }
)  # fmt: skip
