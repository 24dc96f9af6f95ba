"""The domain a web address belongs to, as an outlet registered it.

One outlet publishes under many host names (``www.dawn.com``, ``epaper.dawn.com``, ``dawn.com``),
so a host name does not identify an outlet, but the registrable domain does: the part a publisher
registers below a public suffix (``dawn.com``, ``bbc.co.uk``, ``tribune.com.pk``).  The public
suffix list (``tld``, the list bundled with the package: nothing is fetched) also holds the hosting
platforms that give each customer a domain of their own, so two blogs on ``blogspot.com`` are two
domains (``a.blogspot.com``, ``b.blogspot.com``).  Platforms the list does not name (a newsletter
service giving each writer a sub-domain) are read as one domain.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["registrable_domain"]


def registrable_domain(address: str | None) -> str | None:
    """The registrable domain of a web address ("https://epaper.dawn.com/x" → "dawn.com"), or of a
    bare host name ("Nayakashmir.com" → "nayakashmir.com"); None when there is none (no address, a
    local file, an IP address, a name with spaces such as "Dawn News").

    ``tld`` is imported here, not with the module: every command imports the data model, and only
    an article with a web address needs the list (about 0.1 s to import and read)."""
    if not address or any(ch.isspace() for ch in address.strip()) or not _bundled_list():
        return None
    from tld import get_fld

    try:
        found = get_fld(address.strip(), fail_silently=True, fix_protocol=True)
    except Exception:  # tld raises despite fail_silently when its list cannot be read
        return None
    return found.casefold() if isinstance(found, str) else None


@cache
def _bundled_list() -> bool:
    """Whether ``tld``'s bundled public suffix list is there: without it, ``tld`` would try to
    download the list (and write it into its package), and nothing may be fetched at run time."""
    import tld

    return (Path(tld.__file__).with_name("res") / "effective_tld_names.dat.txt").is_file()
