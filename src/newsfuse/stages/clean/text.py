"""Article text and metadata from text pasted out of a news web page (not HTML).

When someone selects a page in a browser and copies it, they get the article *and* the page around
it: a headline, an author avatar's alt text ("Picture of Dania Shafiq"), "3 Min Read", "Read More:"
links between paragraphs, share buttons, "Related News" lists, the comment form, a search box.  None
of that is the outlet's report, and every later stage (quotes, claims, the brief) would otherwise
cite it.  There is no markup left to tell furniture from article, so this cleaner works line by line
with regular expressions: deterministic, fast (no model) and easy to audit.

Rules, in the order they apply:

1. **Lines.**  The input is split on ``\\r\\n``, ``\\r``, ``\\n``, U+2028 and U+2029 (not on
   ``str.splitlines``' form feeds and ``\\x85``, which mis-decoded pages carry inside lines), so that
   :attr:`RemovedLine.line_no` is the 1-based line a person sees in an editor.  Within a line, every
   Unicode space (non-breaking, thin, ideographic, tabs) becomes one plain space, invisible
   characters (zero-width space, word joiner, BOM, soft hyphen) are dropped and the line is stripped.
2. **Furniture by pattern.**  A line that is, as a whole, a known piece of page furniture is removed
   with a short, stable reason (see :data:`REASONS`).  The patterns match whole lines and most are
   capped in length, because the same words occur in article sentences ("The talks were related
   to ...", "Sign up sheets were ..."): a line is only dropped when it *is* the widget.
3. **Headline.**  The first line is the title when it looks like a headline (3 to 25 words, no
   closing full stop, not a dateline) and the page says so: it is followed by a blank line, repeated
   later, or set in title case.  Lines before it that are one to three words are section labels
   ("World", "Pakistan").  Later copies of the headline are "repeated title".
4. **Byline.**  "By NAME" lines anywhere; ``Author:``/``Written by`` lines; desk bylines ("Web Desk",
   "Staff Reporter") above the first paragraph; and a bare name above the first paragraph when the
   page names the same person in an avatar caption ("Picture of NAME").  A bare name with no such
   evidence is kept: a short capitalised line may be a subheading, and dropping it needs a reason.
5. **Context.**  Standalone dates ("October 30, 2025", "Updated 2 hours ago") are removed above the
   first paragraph and below the last one (mid-body they may be a timeline's subheadings); a
   headline line right after a bare "Read more" is that link's title; headline lines after a
   "Related News"-style heading at the end of the page are that list's items.
6. **Dateline.**  The start of the first paragraph is checked for a dateline: ``ISLAMABAD:``,
   ``KABUL, Oct 30 (Reuters) -``, ``Istanbul (TDI):``.  The dateline stays in the text, because it
   is part of the paragraph as published and spans into the text must match what the outlet wrote;
   :attr:`CleanedPage.dateline` reports the place and, in brackets, the agency it credits
   (``KABUL (Reuters)``): the agency stays on record even where the page names its own outlet,
   because a copy credited to a wire is that wire's reporting (see
   :mod:`newsfuse.stages.align.sources`).  One repair is made: when copying glued the
   dateline to the sentence (``Islamabad (The COW News Digital)Pakistan has``, where the page had
   them in separate elements), a space is inserted after the closing parenthesis (or the colon:
   ``ISLAMABAD:The``), so that tokenizers and sentence splitters see two words instead of one.
   A separator and space already there are left exactly as published.
7. **Outlet.**  Taken from the dateline's parenthesis ("(TDI)" gives "TDI"), else from a copyright
   line ("© 2025 Dawn. All rights reserved.").  Trailing desk words are removed ("The COW News
   Digital" gives "The COW News"): "Digital", "Online", "Web Desk" name the outlet's web desk, not
   the outlet, and the same outlet names itself without them in its text ("told The COW News") and
   elsewhere.  Outlet names are how newsfuse counts independent sources, so one outlet must get one
   name whichever of its desks filed.

Nothing here drops a line because it is short or lacks punctuation alone: every removal has a
pattern or a position that says why, and the reason is recorded.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from newsfuse.models import RemovedLine
from newsfuse.places import names_a_place
from newsfuse.stages.clean.page import CleanedPage

__all__ = ["EXTRACTOR", "REASONS", "clean_page_text", "opening_dateline"]

#: The ``extractor`` name of pages this module cleaned.
EXTRACTOR = "text-cleaner"

#: Every reason a :class:`RemovedLine` from this cleaner can carry.  Stable: reports and tests use them.
REASONS: tuple[str, ...] = (
    "advertisement marker",
    "bare link",
    "breadcrumb",
    "byline",
    "call to action",
    "comment form",
    "comment widget",
    "copyright notice",
    "donation appeal",
    "follow prompt",
    "navigation menu",
    "newsletter prompt",
    "no words",
    "picture caption",
    "read-more link",
    "reading time",
    "repeated byline",
    "repeated title",
    "search box",
    "section label",
    "section list",
    "share widget",
    "tag list",
    "timestamp",
    "title",
)

_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff]")
#: Capital letters for patterns that need one (Python's re has no \p{Lu}): ASCII, Latin-1, Turkish.
_UPPER = "A-ZÀ-ÖØ-ÞİŞĞ"
_WORD = re.compile(r"[^\W_][\w'’.\-]*")
_MINOR_WORDS = frozenset(
    [
        "with",
        "from",
        "into",
        "onto",
        "over",
        "upon",
        "than",
        "that",
        "amid",
        "after",
        "about",
        "under",
        "near",
        "past",
        "till",
        "until",
    ]
)
_HAS_WORD = re.compile(r"[^\W_]")
#: A sentence ends here: terminal punctuation, then closing quotes or brackets, then the line's end.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass(frozen=True, slots=True)
class _Rule:
    """One whole-line furniture pattern; ``max_words`` keeps it off long article sentences."""

    reason: str
    pattern: re.Pattern[str]
    max_words: int = 12


def _rule(reason: str, pattern: str, max_words: int = 12) -> _Rule:
    return _Rule(reason, re.compile(pattern, re.IGNORECASE), max_words)


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# A label's separator: a colon, an arrow or bar, or a dash with spaces ("Related-party" is a word).
_SEP = r"(?:\s*[:|»>]\s*|\s+[-–—•]+\s+|\s*[–—]\s*)"
_SOCIAL = frozenset(
    [
        "facebook",
        "twitter",
        "x",
        "whatsapp",
        "linkedin",
        "email",
        "e-mail",
        "mail",
        "print",
        "telegram",
        "pinterest",
        "reddit",
        "messenger",
        "tumblr",
        "viber",
        "threads",
        "bluesky",
        "share",
        "tweet",
        "copy",
        "link",
        "sms",
    ]
)

# Headings of lists of other stories.  Alone on a line they are never the article's own words.
_SECTION_HEADING = (
    r"related|related (?:news|stories|articles|posts|content|coverage|topics|reading)"
    r"|trending(?: now| news| stories| topics)?|recent(?: news| posts| stories| articles)?"
    r"|latest(?: news| stories| posts| articles| updates)?|most (?:read|popular|viewed|shared)"
    r"|top (?:stories|news|headlines)|more (?:stories|news|headlines)|more from [\w .'’&-]{1,40}"
    r"|popular(?: news| posts| stories)?|editor'?’?s picks?|you may also like|you might also like"
    r"|recommended(?: for you| stories| articles| reading)?|in case you missed it|what to read next"
    r"|read next|up next|don'?’?t miss|must read|also on [\w .'’&-]{1,40}"
)
_READ_MORE = r"read more|read also|also read|see also|more on this(?: story)?|related|must read"

# "Read more" alone: the linked story's headline, if any, is on the next line.
_BARE_READ_MORE = re.compile(
    rf"(?:{_READ_MORE}|read (?:the )?full (?:story|article)|continue reading)\s*[:.…]*", re.I
)

# Order matters: the first rule that matches names the reason.
_RULES: tuple[_Rule, ...] = (
    _rule(
        "advertisement marker",
        r"[-–—\s]*(?:advertisement|advertisment|advert|ads?|sponsored"
        r"(?: content)?|promoted|paid content|story continues below(?: this)? advertisement"
        r"|continue reading below|scroll to continue(?: with content)?)[-–—\s]*",
    ),
    _rule("read-more link", rf"(?:{_READ_MORE}){_SEP}\S.*", max_words=40),
    # In capitals the words are a label even without a colon; in lower case they may be a sentence.
    _Rule("read-more link", re.compile(r"(?:READ MORE|ALSO READ|READ ALSO|SEE ALSO)\s+\S.*"), 40),
    _rule("section list", rf"(?:{_SECTION_HEADING})\s*:?"),
    _Rule("read-more link", _BARE_READ_MORE),
    _rule(
        "reading time",
        r"(?:⏱\s*)?(?:about\s+)?\d+\s*(?:-\s*\d+\s*)?(?:min|mins|minutes?)\.?"
        r"\s+(?:read|reading|to read)|⏱\s*\d+\s*(?:min|mins|minutes?)\.?",
    ),
    _rule(
        "reading time",
        r"(?:⏱\s*)?(?:est(?:imated)?\.?\s+)?reading time\s*:?\s*(?:about\s+|less"
        r" than\s+)?(?:a|\d+)\s*(?:-\s*\d+\s*)?(?:min|mins|minutes?)\.?",
    ),
    _rule(
        "picture caption", r"(?:picture|photo|image|photograph|portrait) of\s+\S.*", max_words=10
    ),
    _rule(
        "picture caption",
        r"\(?\s*(?:photo|image|picture|pic|photograph|file photo|caption|photo credit"
        r"|image credit|image source|credit|illustration|video)s?\s*[:|]\s*.*\)?",
        max_words=60,
    ),
    # "Photo/Reuters" is a credit; "Photo/video evidence showed ..." is a sentence.
    _rule(
        "picture caption",
        r"\(?\s*(?:photo|image|picture|pic|file photo)\s*/\s*[^.!?]*\)?",
        max_words=4,
    ),
    _rule(
        "picture caption",
        r"(?:avatar|author avatar|avatar photo|profile (?:photo|picture)"
        r"|featured image|file photo)",
    ),
    _rule(
        "share widget",
        r"share(?: this| this article| this story| this post| the article"
        r"| on \w+| via \w+| article| story)?\s*:?|copy(?: the)? link|link copied!?"
        r"|print(?: this)?(?: article| story| page)?|email this(?: article| story)?|tweet"
        r"|click to share on \w+(?: \(opens in new window\))?",
    ),
    _rule(
        "follow prompt",
        r"(?:follow|like|find|join) us (?:on|in|at) .*"
        r"|join our (?:whatsapp|telegram|facebook|viber|signal) (?:channel|group|community).*"
        r"|follow (?:the )?[\w .'’&-]{1,30} on (?:google news|twitter|x|facebook|instagram"
        r"|whatsapp|telegram|linkedin|youtube|tiktok|threads|bluesky)\b.*",
        max_words=20,
    ),
    _rule(
        "newsletter prompt",
        r"(?:subscribe|sign up|sign-up|signup)(?: now| today| here| for free"
        r"| free)?\s*[.!:]?|(?:subscribe|sign up|sign-up|signup|register) (?:to|for) (?:our|my) .*"
        r"|(?:subscribe|sign up|sign-up|signup) (?:to|for) .*\b(?:newsletters?|updates|alerts"
        r"|briefing|digest)\b.*|newsletters?|get (?:the )?(?:latest|best|top) .*\b(?:inbox"
        r"|delivered)\b.*",
        max_words=20,
    ),
    # "Support independent labour journalism - donate today."  An appeal, never a report.
    _rule(
        "donation appeal",
        r"(?:please )?(?:support|back|fund) (?:our |independent |quality |local |public-interest )*"
        r"(?:[\w-]+ )?(?:journalism|reporting|newsroom)\b.*|.*\b(?:donate|give) (?:today|now)\W*"
        r"|(?:make a )?donat(?:e|ion)(?: here| now| today)?\W*",
        max_words=15,
    ),
    _rule(
        "call to action",
        r"(?:click|tap) here\b.*|download (?:our|the) (?:\w+ )?app\b.*",
        max_words=25,
    ),
    _rule(
        "comment form",
        r"leave a (?:reply|comment)(?: cancel reply)?|cancel reply"
        r"|your email address will not be published\.?(?: required fields are marked \*)?"
        r"|required fields are marked \*|(?:comment|name|email|e-mail|website)\s*\*"
        r"|save my name, email, and website in this browser for the next time I comment\.?"
        r"|(?:post|submit) (?:a )?comment|notify me of (?:follow-up comments|new posts) by email\.?"
        r"|this site uses akismet to reduce spam\..*|you must be logged in to post a comment\.?"
        r"|δ|be the first to comment\W*|join the (?:conversation|discussion)"
        r"(?:\s*[-–—:]\s*comments? (?:are|is) (?:open|closed)\b.*)?"
        r"|comments (?:are|will be) (?:moderated|reviewed)\b.*",
        max_words=30,
    ),
    _rule(
        "comment widget",
        r"(?:view |show |hide |add |load more |read )?comments?(?: \(\d+\))?"
        r"|\d+\s+comments?|no comments(?: yet)?\.?",
    ),
    _rule(
        "search box",
        r"(?:type|press enter|hit enter|start typing)\b.*\bsearch\b.*"
        r"|search(?: for| here| this site| the site)?\s*(?::|\.\.\.|…)?|search results?",
    ),
    _rule("breadcrumb", r"home(?:(?:\s+[/|]\s+|\s*[>»›]\s*)[^>»›/|.!?]{1,30}){1,6}", max_words=20),
    # "News | Sport | Life | Opinion": three or more short items between bars or bullets.
    _rule("navigation menu", r"[^|•.!?]{1,30}(?:\s+[|•]\s+[^|•.!?]{1,30}){2,}", max_words=24),
    _rule(
        "tag list",
        r"(?:tags?|topics?|filed under|categories|category|keywords)\s*:\s*.*"
        r"|(?:#[^\W_][\w-]*[\s,]*)+",
        max_words=30,
    ),
    _rule(
        "copyright notice",
        r"(?:copyright\s*)?(?:©|\(c\)).*|copyright\s+\d{4}\b.*"
        r"|[^.!?]{1,60}(?:©|\(c\))\s*\d{4}\W*"  # "The Workers' Voice (c) 2026"
        r"|.*\ball rights reserved\W*",
        max_words=25,
    ),
    _rule("bare link", r"(?:https?://|www\.)\S+", max_words=1),
    _rule(
        "timestamp",
        rf"(?:published|updated|last updated|posted|modified)\s*(?:on|at)?\s*:?\s*"
        rf"(?:\w+,?\s+)?(?:\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
        r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d+\s+(?:minutes?|hours?|days?|weeks?)"
        r"\s+ago)\b.*",
        max_words=14,
    ),
)

# A line that is only a date (and maybe a time): furniture above the first and below the last
# paragraph, but possibly a live blog's or timeline's subheading in between.
_DATE = (
    rf"(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))"
)
_DATE_IN_LINE = re.compile(_DATE, re.IGNORECASE)
_BARE_DATE = re.compile(
    rf"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?{_DATE}"
    r"(?:\s*(?:,|\||at|-|–|—|•)?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,5})?)?"
    r"|\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago",
    re.IGNORECASE,
)
_UPDATED = re.compile(r"^\W*(?:last\s+)?(?:updated|modified)\b", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_BYLINE = re.compile(
    r"(?:by|written by|story by|words by|posted by|author\s*:|reporter\s*:)\s+(?P<names>.+)",
    re.IGNORECASE,
)
# Where a byline's names end: "By Jane Doe | October 30, 2025", "By Jane Doe - Reuters".
_BYLINE_TAIL = re.compile(r"\s*(?:[|•·]|\s[-–—]\s|\b(?:published|updated|posted|on)\b).*$", re.I)
_NAME_LINK = frozenset(
    [
        "and",
        "&",
        "de",
        "del",
        "der",
        "da",
        "van",
        "von",
        "bin",
        "al",
        "el",
        "la",
        "le",
        "du",
        "dos",
        "of",
        "the",
    ]
)
_NAME_WORD = re.compile(rf"[{_UPPER}][\w'’.\-]*")
_DESK_BYLINE = re.compile(
    r"(?:(?:web|news|monitoring|online|foreign|national|city|sports|business|international|digital)"
    r" desk|staff (?:reporter|report|writer|correspondent)|our (?:staff )?(?:correspondent|reporter)"
    r"|news agencies|agencies|monitoring report)",
    re.IGNORECASE,
)
_CAPTIONED_NAME = re.compile(r"(?:picture|photo|image|photograph|portrait) of\s+(.+)", re.I)

# Place, optional ", date or region", optional "(agency)", separator, then the sentence's capital.
# Without brackets a separator is required; after brackets it may be missing (a glued dateline).
_DATELINE = re.compile(
    rf"(?P<place>[{_UPPER}][\w'’.\-]*(?: [{_UPPER}][\w'’.\-]*){{0,3}})"
    r"(?:, (?P<extra>[^\W_][\w .]{0,30}?))?"
    r"(?: ?\((?P<paren>[^()\n]{1,60})\)(?P<after> *[:—–] *| +-{1,2} +|)"
    r"|(?P<sep> *[:—–] *| +-{1,2} +))"
    rf"(?=[{_UPPER}0-9\"'“‘])"
)
_NOT_A_PLACE = frozenset(
    [
        "breaking",
        "update",
        "updated",
        "exclusive",
        "watch",
        "live",
        "analysis",
        "opinion",
        "editorial",
        "video",
        "photos",
        "explainer",
        "comment",
        "review",
        "correction",
        "factbox",
    ]
)
_DESK_SUFFIX = re.compile(
    r"(?:\s+(?:digital|online|web|web desk|news desk|desk|newsroom|staff|report|e-paper|epaper))+$",
    re.IGNORECASE,
)
_COPYRIGHT_HOLDER = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<holder>[^.,|]{2,60}?)"
    r"\s*(?:[.,|]|all rights reserved|$)",
    re.IGNORECASE,
)


def clean_page_text(text: str) -> CleanedPage:
    """Remove page furniture from pasted page text and find the metadata the text names.

    Returns the article body, one paragraph a line, with title, byline, dateline, outlet and
    publication date where the text states them, and every removed line with its reason.
    """
    lines = [_normalise(raw) for raw in _LINE_BREAK.split(text)]
    reasons: dict[int, str] = {}
    for index, line in enumerate(lines):
        if line:
            reason = _furniture(line)
            if reason is not None:
                reasons[index] = reason
    _mark_lone_share_buttons(lines, reasons)

    title = _find_title(lines, reasons)
    byline = _find_byline(lines, reasons)
    _mark_repeats(lines, reasons, title, byline)
    published_at = _mark_dates(lines, reasons)
    _mark_link_titles(lines, reasons)
    _mark_list_items(lines, reasons)

    kept = [index for index, line in enumerate(lines) if line and index not in reasons]
    body = [lines[index] for index in kept]
    # The copyright holder is the publisher, and so is the outlet whose staff the byline credits
    # ("Eastshore Daily Staff"); a dateline's agency ("Port Merrow (CPA):") may only be the wire
    # the page re-runs, so it names the outlet only when nothing else does, before the site the
    # page's own "Read more:" links point to.
    dateline, outlet = None, _copyright_outlet(lines, reasons) or _staff_outlet(byline)
    for position in range(len(body)):
        found = _dateline(body[position])
        if found is not None:
            place, agency, body[position] = found
            dateline = f"{place} ({agency})" if agency else place
            outlet = outlet or agency
            break
        if _is_prose(body[position]):
            break
    outlet = outlet or _linked_site(lines, reasons)

    removed = tuple(
        RemovedLine(line_no=index + 1, text=lines[index], reason=reason)
        for index, reason in sorted(reasons.items())
    )
    return CleanedPage(
        text="\n".join(body),
        extractor=EXTRACTOR,
        title=title,
        byline=byline,
        dateline=dateline,
        outlet=outlet,
        published_at=published_at,
        removed=removed,
    )


def _normalise(line: str) -> str:
    """One line with invisible characters dropped and every run of spaces made one plain space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def _words(line: str) -> int:
    return len(line.split())


def _furniture(line: str) -> str | None:
    """The reason a line is page furniture on its own, whatever surrounds it; None if it is not."""
    if not _HAS_WORD.search(line):
        return "no words"
    count = _words(line)
    for rule in _RULES:
        if count <= rule.max_words and rule.pattern.fullmatch(line):
            return rule.reason
    tokens = [t for t in re.split(r"[\s|•·,/]+", line.casefold().replace("copy link", "")) if t]
    if tokens and all(t in _SOCIAL for t in tokens) and tokens != ["x"]:
        return "share widget"
    return None


def _mark_lone_share_buttons(lines: list[str], reasons: dict[int, str]) -> None:
    """A lone "X" is a share button only inside a run of share buttons (it is also a letter)."""
    for index, line in enumerate(lines):
        if index in reasons or line.casefold() not in _SOCIAL:
            continue
        neighbours = [i for i in (index - 1, index + 1) if 0 <= i < len(lines)]
        if any(reasons.get(i) == "share widget" for i in neighbours):
            reasons[index] = "share widget"


def _is_prose(line: str) -> bool:
    """A line that reads as article sentences rather than a heading, label or widget."""
    count = _words(line)
    return count >= 25 or (count >= 6 and _SENTENCE_END.search(line) is not None)


def _is_headline(line: str) -> bool:
    """Shaped like a headline: a few words, no closing full stop or lead-in colon, no dateline."""
    return (
        3 <= _words(line) <= 25
        and not re.search(r"[.:;,]$", line)
        and _dateline(line) is None
        and _BYLINE.fullmatch(line) is None
    )


def _is_title_case(line: str) -> bool:
    """Every word of four letters or more capitalised, short prepositions aside (house styles differ).

    Counting a share instead would make sentence-case lines full of names ("Talks to resume in
    Istanbul on Friday") look like headlines.
    """
    words = [w for w in _WORD.findall(line) if len(w) >= 4 and w.casefold() not in _MINOR_WORDS]
    return len(words) >= 3 and all(w[0].isupper() for w in words)


def _key(line: str) -> str:
    """What two copies of a heading share: case and trailing punctuation do not matter."""
    return re.sub(r"[\W_]+", " ", line.casefold()).strip()


def _find_title(lines: list[str], reasons: dict[int, str]) -> str | None:
    """Find and mark the headline: the first headline-shaped line above the first paragraph."""
    candidates = [i for i, line in enumerate(lines) if line and i not in reasons]
    first_paragraph = next((i for i in candidates if _is_prose(lines[i])), len(lines))
    doubled = _doubled_headline(lines, candidates, first_paragraph)
    if doubled is not None:  # pages often print the headline twice (page title + article title)
        position = candidates.index(doubled)
        reasons[doubled] = "title"
        for earlier in candidates[:position]:
            if _words(lines[earlier]) <= 3 and not _is_prose(lines[earlier]):
                reasons[earlier] = "section label"
        return lines[doubled]
    labels: list[int] = []
    for position, index in enumerate(candidates):
        line = lines[index]
        if _is_headline(line):
            if position == len(candidates) - 1:
                return None  # a page's only text line is the article, not its headline
            followed_by_blank = index + 1 < len(lines) and not lines[index + 1]
            repeated = any(_key(lines[j]) == _key(line) for j in candidates[position + 1 :])
            if followed_by_blank or repeated or _is_title_case(line):
                reasons[index] = "title"
                for label in labels:
                    reasons[label] = "section label"
                return line
            return None
        if _BYLINE.fullmatch(line) or _DESK_BYLINE.fullmatch(line) or _BARE_DATE.fullmatch(line):
            continue  # header lines found later; neither a headline nor a section label
        if _is_prose(line) or _words(line) > 3:
            return None
        labels.append(index)
    return None


def _doubled_headline(lines: list[str], candidates: list[int], header_end: int) -> int | None:
    """A headline-shaped line printed twice in a row in the page header, if there is one."""
    for here, after in itertools.pairwise(candidates):
        if here >= header_end:
            break
        line = lines[here]
        if _key(lines[after]) == _key(line) and _is_headline(line) and _words(line) >= 3:
            return here
    return None


def _first_prose(lines: list[str], reasons: dict[int, str]) -> int:
    """Index of the first article paragraph (len(lines) if none): the end of the page's header."""
    for index, line in enumerate(lines):
        if line and index not in reasons and (_is_prose(line) or _dateline(line) is not None):
            return index
    return len(lines)


def _find_byline(lines: list[str], reasons: dict[int, str]) -> str | None:
    """Find and mark bylines; return the first one's names."""
    header_end = _first_prose(lines, reasons)
    captioned = {
        _key(match.group(1))
        for index, reason in reasons.items()
        if reason == "picture caption" and (match := _CAPTIONED_NAME.fullmatch(lines[index]))
    }
    found: str | None = None
    for index, line in enumerate(lines):
        if not line or index in reasons:
            continue
        names: str | None = None
        match = _BYLINE.fullmatch(line)
        if match is not None and _words(line) <= 20:
            names = _names(match.group("names"))
        elif index < header_end and (
            _DESK_BYLINE.fullmatch(line) or (_key(line) in captioned and _names(line))
        ):
            names = line
        if names is not None:
            reasons[index] = "byline"
            found = found or names
    return found


def _names(text: str) -> str | None:
    """The people a byline names, or None when the words are not a list of names."""
    names = _BYLINE_TAIL.sub("", text).strip().rstrip(",")
    words = names.replace(",", " ").split()
    if not 1 <= len(words) <= 10 or not _NAME_WORD.fullmatch(words[0]):
        return None
    if not all(_NAME_WORD.fullmatch(w) or w.casefold() in _NAME_LINK for w in words):
        return None
    return names


def _mark_repeats(
    lines: list[str], reasons: dict[int, str], title: str | None, byline: str | None
) -> None:
    """Mark later copies of the headline and byline lines (pages print them twice)."""
    keys = {_key(title): "repeated title"} if title else {}
    if byline:
        keys.setdefault(_key(byline), "repeated byline")
    if not keys:
        return
    for index, line in enumerate(lines):
        if line and index not in reasons and _key(line) in keys:
            reasons[index] = keys[_key(line)]


def _mark_dates(lines: list[str], reasons: dict[int, str]) -> str | None:
    """Mark date lines in the header and footer; return the publication date they give, ISO 8601.

    Every "Published ..." line was already marked by its pattern; bare dates only count above the
    first and below the last paragraph.  The first date that is not an update time is taken.
    """
    header_end = _first_prose(lines, reasons)
    kept = [i for i, line in enumerate(lines) if line and i not in reasons and _is_prose(line)]
    footer_start = kept[-1] if kept else -1
    published: str | None = None
    for index, line in enumerate(lines):
        if not line:
            continue
        outside = index < header_end or index > footer_start
        if index not in reasons and outside and _BARE_DATE.fullmatch(line):
            reasons[index] = "timestamp"
        if reasons.get(index) == "timestamp" and published is None and not _UPDATED.match(line):
            published = _iso_date(line)
    return published


def _iso_date(line: str) -> str | None:
    match = _DATE_IN_LINE.search(line)
    if match is None:
        return None
    if match.group("iso"):
        return match.group("iso")
    day = match.group("d1") or match.group("d2")
    month = (match.group("m1") or match.group("m2")).casefold()[:3]
    year = match.group("y1") or match.group("y2")
    if not 1 <= int(day) <= 31:
        return None
    return f"{year}-{_MONTHS.index(month) + 1:02d}-{int(day):02d}"


def _mark_link_titles(lines: list[str], reasons: dict[int, str]) -> None:
    """A bare "Read more" line links to the story whose headline is on the next line."""
    for index, line in enumerate(lines):
        if reasons.get(index) != "read-more link" or not _BARE_READ_MORE.fullmatch(line):
            continue
        following = next((j for j in range(index + 1, len(lines)) if lines[j]), None)
        if (
            following is not None
            and following not in reasons
            and _is_headline(lines[following])
            and not _is_prose(lines[following])
        ):
            reasons[following] = "read-more link"


def _mark_list_items(lines: list[str], reasons: dict[int, str]) -> None:
    """Headlines after a "Related News"-style heading below the article are that list's items.

    Only below the last paragraph: in the body, a heading-shaped line after such a heading may be
    the article's own subheading, and losing it needs more reason than its position.
    """
    # A headline may end in "?" and so pass for a sentence; it does not end the article.
    prose = [
        i
        for i, line in enumerate(lines)
        if line and i not in reasons and _is_prose(line) and not _is_headline(line)
    ]
    last = prose[-1] if prose else -1
    in_list = False
    for index, line in enumerate(lines):
        if not line or index <= last:
            continue
        if reasons.get(index) == "section list":
            in_list = True
        elif in_list and index not in reasons and _is_headline(line):
            reasons[index] = "section list"


def opening_dateline(paragraph: str) -> tuple[str, str | None] | None:
    """The dateline a paragraph opens with, as :attr:`CleanedPage.dateline` gives it ("KABUL
    (Reuters)", or the place alone), and the outlet its brackets name; None without one.  For
    text another extractor found (an HTML page's first paragraph), read the same way as here."""
    found = _dateline(paragraph)
    if found is None:
        return None
    place, agency, _ = found
    return (f"{place} ({agency})" if agency else place), agency


def _dateline(line: str) -> tuple[str, str | None, str] | None:
    """(place, outlet, line with a glued dateline separated) when the line opens with a dateline."""
    match = _DATELINE.match(line)
    if match is None:
        return None
    place, paren = match.group("place"), match.group("paren")
    sep = match.group("sep") if paren is None else match.group("after")
    rest = line[match.end() :]
    if paren is None and not _SENTENCE_END.search(rest):
        return None  # "CPA - Calderra Press Agency": a masthead, not a dateline opening a story
    outlet = _outlet(paren) if paren is not None else None
    if paren is not None and outlet is None:
        return None
    if paren is not None and names_a_place(paren):
        place, outlet = f"{place} ({paren.strip()})", None  # "KABUL (Afghanistan)": no credit
    if paren is None:
        # Without an agency in brackets, only the wire convention counts: the place in capitals.
        letters = [c for c in place if c.isalpha()]
        if len(letters) < 2 or not all(c.isupper() for c in letters):
            return None
        if place.casefold() in _NOT_A_PLACE:
            return None
    if sep == "" or sep.endswith(":"):
        # Glued by the copy ("Digital)Pakistan", "ISLAMABAD:Pakistan"): restore the word break.
        line = line[: match.end()] + " " + rest
    return place, outlet or None, line


def _outlet(paren: str) -> str | None:
    """The outlet a dateline's brackets name ("Reuters", "TDI"), without desk words; None if not one."""
    text = paren.strip()
    if re.search(r"\d", text) or not _HAS_WORD.search(text) or _words(text) > 6:
        return None
    if any(re.fullmatch(_MONTH, word, re.IGNORECASE) for word in text.split()):
        return None
    if _DESK_BYLINE.fullmatch(text):
        return ""  # a desk, not an outlet: still a dateline, but no outlet to report
    stripped = _DESK_SUFFIX.sub("", text).strip()
    return stripped or ""


_STAFF_BYLINE = re.compile(
    r"(?P<outlet>[^\W\d][\w'&.\- ]{1,60}?)\s+(?:staff(?: reporter| writer| correspondent)?|newsroom)",
    re.IGNORECASE,
)
_NOT_AN_OUTLET = frozenset(
    {"our", "the", "news", "web", "online", "digital", "monitoring", "city", "national", "foreign"}
)
_LINKED_HOST = re.compile(r"https?://(?:www\.)?(?P<host>[a-z0-9.-]+\.[a-z]{2,})(?:[/:?#]|$)", re.I)


def _staff_outlet(byline: str | None) -> str | None:
    """The outlet a staff byline names ("Eastshore Daily Staff" → "Eastshore Daily"), else None."""
    if not byline:
        return None
    match = _STAFF_BYLINE.fullmatch(byline.split(",")[0].strip())
    if match is None:
        return None
    name = match.group("outlet").strip()
    return None if name.casefold() in _NOT_AN_OUTLET else name


def _linked_site(lines: list[str], reasons: dict[int, str]) -> str | None:
    """The site a page's own "Read more:" links point to (``nayakashmir.com``), the most linked
    one; a page links its publisher's other stories, so this names the outlet when nothing else
    on the page does."""
    hosts: dict[str, int] = {}
    for index, reason in sorted(reasons.items()):
        if reason == "read-more link":
            found = _LINKED_HOST.search(lines[index])
            if found is not None:
                host = found.group("host").lower()
                hosts[host] = hosts.get(host, 0) + 1
    if not hosts:
        return None
    return max(sorted(hosts), key=lambda host: hosts[host])


_HOLDER_FIRST = re.compile(r"(?P<holder>[^.,|©()]{2,60}?)\s*(?:©|\(c\))\s*\d{4}\W*", re.IGNORECASE)


def _copyright_outlet(lines: list[str], reasons: dict[int, str]) -> str | None:
    """The holder a removed copyright line names ("© 2025 Dawn."), a fallback for the outlet."""
    for index, reason in sorted(reasons.items()):
        if reason != "copyright notice":
            continue
        match = _COPYRIGHT_HOLDER.match(lines[index]) or _HOLDER_FIRST.fullmatch(lines[index])
        if match is not None:
            holder = _DESK_SUFFIX.sub("", match.group("holder")).strip()
            if holder and _HAS_WORD.search(holder) and holder.casefold() != "all rights reserved":
                return holder
    return None
