"""The URL-ingest stage: web pages fetched politely become RawDocuments, kept byte for byte.

A fetch must never hang a run, fill memory or annoy a publisher, so every request goes through one
:class:`Fetcher`, which holds one ``httpx`` client and enforces, per URL:

* **schemes**: only ``http`` and ``https``; anything else (``file:``, ``ftp:``) is rejected unread.
* **robots.txt** (RFC 9309, parsed by Protego: ``*`` and ``$`` patterns, longest match wins):
  fetched once per host through the same client and cached; a page it disallows for our user
  agent is rejected.  As the RFC says, a robots.txt answering 4xx means "no
  rules", while one that is unreachable (5xx, connection error) means "fetch nothing" from that host.
* **politeness**: at least ``delay`` seconds between two requests to the same host (robots.txt
  included).
* **addresses**: the host is resolved before connecting (within ``timeout``), and loopback, private,
  link-local (cloud metadata at 169.254.169.254), unspecified, reserved and multicast addresses are
  refused, IPv4-mapped IPv6 unwrapped, on every redirect hop and robots.txt fetch, unless
  ``allow_private`` is set.  The connection then goes to the checked addresses only, so a second DNS
  answer cannot differ from the checked one (no rebinding window).  Proxies from the environment are
  not used: the check must see where the connection goes.
* **credentials**: ``user:password@`` is dropped from every URL before it is fetched, stored or
  shown (see :func:`strip_credentials`).
* **time**: ``timeout`` bounds resolving, connecting and each read, and ``total_timeout`` the whole
  request, connecting and headers included, so a server dripping one byte at a time (headers or
  body) cannot stall a run either.  A request over ``total_timeout`` is rejected, not retried.
* **retries**: 429, 5xx, timeouts and connection errors are retried ``retries`` times with exponential
  backoff (``backoff``, doubled each time, never above ``max_backoff``; a ``Retry-After`` in seconds is
  honoured within that bound).  Other 4xx answers are final.  The retrying is tenacity's
  (``tenacity.Retrying``: stop after ``retries`` + 1 attempts, exponential wait); not httpx's
  transport retries, which cover failed connects only, never a 429 or 503 or a ``Retry-After``.
  Each attempt passes the politeness delay and gets its own total deadline like any request.
* **redirects**: followed by hand, at most ``max_redirects``, each hop checked for scheme and robots.txt;
  a loop is rejected as soon as a URL comes round again.
* **size**: a ``Content-Length`` over ``max_bytes`` is rejected before the body is read, and the
  body is counted while it streams: a 2 GB or endless response stops at ``max_bytes``.  Content
  encodings are undone here, 64 KiB at a time, each piece counted before the next is made, so a
  compression bomb (a few kB of brotli, or gzip inside gzip, expanding to gigabytes) stops there too.
  Only ``gzip``, ``deflate`` and (with Brotli >= 1.2 installed) ``br`` are asked for; a response in
  another encoding is rejected.
* **media type**: from ``Content-Type``: HTML (``text/html``, ``application/xhtml+xml``) is
  ``text/html``, ``text/plain`` is ``text/plain``; anything else (images, PDFs, JSON) is rejected before
  its body is read.  A response without a Content-Type is sniffed like stdin.

Each problem becomes a :class:`~newsfuse.models.Rejection` naming the URL; nothing here raises for one
bad URL.  :func:`read_url_list` reads ``.urls``/``.txt`` files of one URL a line.
"""

from __future__ import annotations

import importlib
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Protocol
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
import tenacity
from protego import Protego

from newsfuse.config import USER_AGENT, HttpSettings
from newsfuse.errors import ItemError
from newsfuse.models import DeclaredMetadata, RawDocument, Rejection, content_id
from newsfuse.stages.ingest.decode import check_text
from newsfuse.stages.ingest.files import sniff_media_type
from newsfuse.stages.ingest.opening import open_input

__all__ = [
    "ACCEPT_ENCODING",
    "HTML_TYPES",
    "STAGE",
    "USER_AGENT",
    "Fetched",
    "Fetcher",
    "HttpSettings",
    "fetch_page",
    "fetch_urls",
    "raw_document",
    "read_url_list",
    "strip_credentials",
]

STAGE: Final = "ingest"


HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
_PAGE_TYPES: Final[dict[str, str]] = {
    **dict.fromkeys(HTML_TYPES, "text/html"),
    "text/plain": "text/plain",
}
_SCHEMES: Final = ("http", "https")
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX_BYTES: Final = 500_000  # RFC 9309: parse at least 500 KiB; more is not a robots.txt
_ROBOTS_REDIRECTS: Final = 5  # RFC 9309: follow at least five
_NO_RULES: Final = Protego.parse("")  # RFC 9309: a missing or unavailable robots.txt allows all


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful response: its final URL (after redirects), media type (no parameters), body."""

    url: str
    media_type: str
    content: bytes
    fetched_at: str


class _StatusError(ItemError):
    """An HTTP error status; robots.txt handling needs the status, not only the sentence."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.status = status


class _Retryable(Exception):
    """An attempt that another may fix: 429, 5xx, a read timeout, a failed connection.

    ``retry_after`` is the server's ``Retry-After`` in seconds, when it sent one.
    """

    def __init__(self, problem: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(problem)
        self.problem, self.status, self.retry_after = problem, status, retry_after


def _backoff(settings: HttpSettings) -> Callable[[tenacity.RetryCallState], float]:
    """How long to wait before the next attempt: ``backoff`` doubled each time (tenacity's
    exponential wait), or the server's ``Retry-After`` when longer, never above ``max_backoff``."""
    exponential = tenacity.wait_exponential(multiplier=settings.backoff, min=0, exp_base=2)

    def wait(state: tenacity.RetryCallState) -> float:
        seconds = float(exponential(state))
        failure = state.outcome.exception() if state.outcome is not None else None
        if isinstance(failure, _Retryable) and failure.retry_after is not None:
            seconds = max(seconds, failure.retry_after)
        return min(seconds, settings.max_backoff)

    return wait


@dataclass(frozen=True, slots=True)
class _Redirect:
    location: str


class _Refused(ItemError):
    """A URL whose host is not a public address; final, and never turned into a robots.txt verdict."""


Resolver = Callable[[str, int, float], tuple[str, ...]]
"""``(host, port, timeout) -> addresses``; injectable so tests can give a host any address."""


class Fetcher:
    """One client, one robots.txt cache and one clock per host, shared by every fetch of a run.

    Sharing matters: robots.txt is fetched once per host, connections are reused, and the politeness
    delay holds across pages, feeds and the articles they link to.  Use as a context manager.

    Unless a ``transport`` is given, connections go through :class:`_GuardedBackend`, which connects
    only to the addresses this fetcher resolved and checked for the host (no second DNS lookup, so
    no DNS-rebinding window) and bounds every socket operation by the request's total deadline.
    """

    def __init__(
        self,
        settings: HttpSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings
        self._sleep = sleep  # between retries: a test records the waits instead of taking them
        self._backend = _GuardedBackend()
        self._resolve = resolver if resolver is not None else _resolve
        self._client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,  # by hand: each hop is checked for scheme, address and robots
            transport=transport if transport is not None else _Transport(self._backend),
            # No proxies, .netrc or certificate paths from the environment: a proxy would make the
            # connection somewhere the address check never sees, and .netrc would add credentials.
            trust_env=False,
        )
        self._robots: dict[str, Protego | str] = {}
        self._last_request: dict[str, float] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, accept: Collection[str] | None, what: str = "a web page") -> Fetched:
        """Fetch ``url``, following redirects; raise ItemError saying why it cannot be had.

        ``accept`` lists the media types wanted (``None``: any); ``what`` names them in the error.
        Credentials in the URL (or a redirect's) are dropped, never sent: see :func:`strip_credentials`.
        """
        current = strip_credentials(url)
        hops = [current]
        while True:
            _check_scheme(current)
            try:
                self._check_address(current)
                if self.settings.respect_robots:
                    self._check_robots(current)
            except _Refused as error:
                if current == hops[0]:
                    raise
                why = error.reason.removeprefix("refused: ")
                raise _Refused(f"refused: redirect to {current}: {why}") from error
            result = self._get(current, accept, what, self.settings.max_bytes)
            if isinstance(result, Fetched):
                return result
            target = strip_credentials(urljoin(current, result.location))
            if target in hops:
                raise ItemError("redirect loop: " + " → ".join([*hops, target]))
            if len(hops) > self.settings.max_redirects:
                raise ItemError(
                    f"more than {self.settings.max_redirects} redirects (http.max_redirects)"
                )
            hops.append(target)
            current = target

    # --- addresses -------------------------------------------------------------------------------

    def _check_address(self, url: str) -> None:
        """Resolve the URL's host and refuse non-public addresses; pin what was checked.

        The addresses are pinned in the backend, which connects to them and to nothing else, so
        the host cannot resolve to a public address here and a private one at connect time.
        """
        if self.settings.allow_private:
            return
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise ItemError(f"not a URL: {error}") from error
        host = parsed.raw_host.decode("ascii")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            addresses = self._resolve(host, port, self.settings.timeout)
        except OSError as error:
            raise ItemError(f"cannot resolve host {host}: {error.strerror or error}") from error
        if not addresses:
            raise ItemError(f"cannot resolve host {host}: no addresses")
        for address in addresses:
            kind = _non_public(address)
            if kind is not None:
                subject = (
                    f"{host} is {kind}"
                    if host == address
                    else f"{host} resolves to {address}, {kind}"
                )
                raise _Refused(f"refused: {subject} (set http.allow_private = true to fetch it)")
        self._backend.pins[host] = addresses

    # --- one request, with retries ---------------------------------------------------------------

    def _get(
        self, url: str, accept: Collection[str] | None, what: str, limit: int
    ) -> Fetched | _Redirect:
        """One request, retried by tenacity while an attempt ends in :class:`_Retryable`."""
        settings = self.settings
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_Retryable),
            stop=tenacity.stop_after_attempt(settings.retries + 1),
            wait=_backoff(settings),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._attempt, url, accept, what, limit)
        except _Retryable as failure:
            attempts = int(retrying.statistics.get("attempt_number", 1))
            suffix = f" after {attempts} attempts" if attempts > 1 else ""
            raise _StatusError(failure.problem + suffix, failure.status) from None

    def _attempt(
        self, url: str, accept: Collection[str] | None, what: str, limit: int
    ) -> Fetched | _Redirect:
        """One try: the politeness delay, then the request against its own total deadline.

        Raises :class:`_Retryable` for what another try may fix (429, 5xx, a per-read timeout, a
        failed connection) and :class:`~newsfuse.errors.ItemError` for what it will not.
        """
        settings = self.settings
        self._wait_for_host(url)
        status = 0
        # The whole request, connecting and headers included, runs against one deadline.
        deadline = self._backend.deadline = time.monotonic() + settings.total_timeout
        try:
            with self._client.stream("GET", url) as response:
                status = response.status_code
                if status in _REDIRECTS and "location" in response.headers:
                    return _Redirect(response.headers["location"])
                if status == 429 or status >= 500:
                    raise _Retryable(
                        f"HTTP {status} {response.reason_phrase}".rstrip(),
                        status,
                        _retry_after(response.headers.get("retry-after")),
                    )
                if status >= 300:
                    raise _StatusError(f"HTTP {status} {response.reason_phrase}".rstrip(), status)
                return self._read(response, accept, what, limit, deadline)
        except httpx.TimeoutException:
            if time.monotonic() >= deadline:  # a slow drip: retrying would only repeat it
                raise ItemError(_total_timeout_message(settings)) from None
            raise _Retryable(
                f"timed out (no answer within {settings.timeout:g} s)", status
            ) from None
        except httpx.TransportError as error:
            raise _Retryable(
                f"connection failed: {error or type(error).__name__}", status
            ) from None
        except httpx.HTTPError as error:  # an invalid URL, undecodable gzip: retrying won't help
            raise ItemError(f"cannot fetch: {error or type(error).__name__}") from error

    def _read(
        self,
        response: httpx.Response,
        accept: Collection[str] | None,
        what: str,
        limit: int,
        deadline: float,
    ) -> Fetched:
        """The decoded body, counted as it is decoded.

        The raw stream is decoded here, not by httpx: its decoders inflate a whole network chunk at
        once, so a few kilobytes of brotli (or gzip inside gzip) become gigabytes before anything
        is counted.  Ours hand out at most ``_PIECE`` bytes at a time, each counted against
        ``limit``.
        """
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if accept is not None and media_type and media_type not in accept:
            raise ItemError(f"unsupported content type '{media_type}'; expected {what}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ItemError(
                f"response is {_mb(int(declared))}, over the {_mb(limit)} limit (http.max_bytes)"
            )
        decode = _decoder(response.headers.get("content-encoding", ""))
        chunks: list[bytes] = []
        size = 0
        try:
            for raw in response.iter_raw():
                for piece in decode(raw):
                    size += len(piece)
                    if size > limit:
                        raise ItemError(f"response over the {_mb(limit)} limit (http.max_bytes)")
                    chunks.append(piece)
                if time.monotonic() > deadline:
                    raise ItemError(_total_timeout_message(self.settings))
        except _DECODE_ERRORS as error:
            raise ItemError(f"cannot decode the response's content encoding: {error}") from error
        return Fetched(str(response.url), media_type, b"".join(chunks), _now())

    # --- robots.txt and politeness ---------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(site)
        if rules is None:
            rules = self._robots[site] = self._load_robots(site)
        if isinstance(rules, str):
            raise ItemError(rules)
        if not rules.can_fetch(url, self.settings.user_agent):
            raise ItemError(f"disallowed by {site}/robots.txt")

    def _load_robots(self, site: str) -> Protego | str:
        """The host's rules, or the reason it may not be fetched at all (RFC 9309, 2.3.1).

        Parsed by Protego, which implements RFC 9309's ``*`` and ``$`` patterns and longest-match
        precedence (the standard library's parser ignores both, so ``Disallow: /*.pdf$`` allowed
        every PDF).  A robots.txt redirecting to a non-public address raises :class:`_Refused`:
        the page is refused for that reason, which is the one the user needs to see.
        """
        url = f"{site}/robots.txt"
        try:
            for _ in range(_ROBOTS_REDIRECTS + 1):
                _check_scheme(url)
                self._check_address(url)
                result = self._get(url, None, "robots.txt", _ROBOTS_MAX_BYTES)
                if isinstance(result, Fetched):
                    return Protego.parse(result.content.decode("utf-8", "replace"))
                url = strip_credentials(urljoin(url, result.location))
            return _NO_RULES  # RFC 9309: too many redirects counts as "unavailable": no rules
        except _Refused as error:
            why = error.reason.removeprefix("refused: ")
            raise _Refused(f"refused: robots.txt redirect to {url}: {why}") from error
        except _StatusError as error:
            if 400 <= error.status < 500:
                return _NO_RULES  # RFC 9309: no robots.txt, no rules
            return f"{site}/robots.txt is unreachable ({error.reason}); not fetching from this host"
        except ItemError as error:
            return f"{site}/robots.txt is unusable ({error.reason}); not fetching from this host"

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = self._last_request.get(host)
        if last is not None:
            remaining = self.settings.delay - (time.monotonic() - last)
            if remaining > 0:
                time.sleep(remaining)
        self._last_request[host] = time.monotonic()


def _total_timeout_message(settings: HttpSettings) -> str:
    return f"response took longer than {settings.total_timeout:g} s (http.total_timeout)"


# --- addresses and connections -----------------------------------------------------------------------


def _resolve(host: str, port: int, timeout: float) -> tuple[str, ...]:
    """The host's addresses, in resolver order, within ``timeout`` seconds.

    ``getaddrinfo`` has no timeout of its own, so it runs in a daemon thread that is abandoned
    if it does not answer in time.  It also reads ``0x7f000001`` and ``2130706433`` as the IPv4
    addresses they spell, so the check below sees what a connection would reach.
    """
    found: list[tuple[str, ...]] = []
    failure: list[OSError] = []

    def lookup() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            found.append(tuple(dict.fromkeys(str(info[4][0]) for info in infos)))
        except OSError as error:
            failure.append(error)

    thread = threading.Thread(target=lookup, daemon=True, name=f"resolve {host}")
    thread.start()
    thread.join(timeout)
    if failure:
        raise failure[0]
    if not found:
        raise OSError(f"no answer within {timeout:g} s")
    return found[0]


def _non_public(address: str) -> str | None:
    """Why ``address`` is not a public internet address ("a loopback address"), or None."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
        address.split("%")[0]  # an IPv6 zone ("fe80::1%eth0") is not part of the address
    )
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for test, kind in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    ):
        if test:
            return kind
    return None


class _GuardedBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, connecting only to pinned addresses, within one deadline.

    ``pins`` maps a host to the addresses :meth:`Fetcher._check_address` resolved and checked;
    a host without a pin is resolved by the system as usual (``http.allow_private`` on).
    ``deadline`` is the current request's end: each connect, TLS handshake, read and write gets
    at most the time left (CPython bounds ``connect`` and the TLS handshake as a whole by the socket
    timeout), so a server dripping its headers one byte at a time is cut at ``total_timeout``.
    """

    def __init__(self) -> None:
        self._sockets = httpcore.SyncBackend()
        self.pins: dict[str, tuple[str, ...]] = {}
        self.deadline: float | None = None

    def time_left(self, timeout: float | None) -> float | None:
        if self.deadline is None:
            return timeout
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout("total timeout reached")
        return remaining if timeout is None else min(timeout, remaining)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.pins.get(host, (host,))
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = self._sockets.connect_tcp(
                    address, port, self.time_left(timeout), local_address, socket_options
                )
            except httpcore.ConnectError as error:
                failure = error
                continue
            return _DeadlineStream(stream, self)
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("newsfuse does not fetch over Unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every operation gets at most the time left before the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, backend: _GuardedBackend) -> None:
        self._stream = stream
        self._backend = backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._backend.time_left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._backend.time_left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(
            ssl_context, server_hostname, self._backend.time_left(timeout)
        )
        return _DeadlineStream(stream, self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _Transport(httpx.HTTPTransport):
    """httpx's transport over a :class:`_GuardedBackend` (httpx has no public way to pass one)."""

    def __init__(self, backend: _GuardedBackend) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=backend,
        )


# --- content decoding --------------------------------------------------------------------------------

_PIECE: Final = 65_536  # the most one decoder step may produce; counted before the next step


class _BrotliDecompressor(Protocol):
    def process(self, data: bytes, output_buffer_limit: int = ...) -> bytes: ...
    def can_accept_more_data(self) -> bool: ...


_brotli: Any
try:  # optional, untyped; needs Brotli >= 1.2 for an output limit
    _brotli = importlib.import_module("brotli")
except ImportError:  # pragma: no cover - depends on the environment
    _brotli = None
if _brotli is not None and not hasattr(_brotli.Decompressor, "can_accept_more_data"):
    _brotli = None  # pragma: no cover - an older Brotli cannot bound its output: br not accepted

_DECODE_ERRORS: Final[tuple[type[Exception], ...]] = (
    (zlib.error,) if _brotli is None else (zlib.error, _brotli.error)
)

ACCEPT_ENCODING: Final = "gzip, deflate, br" if _brotli is not None else "gzip, deflate"
"""Only encodings decoded here within a bound; a server sending another one is rejected."""

_Decode = Callable[[bytes], Iterator[bytes]]


def _decoder(header: str) -> _Decode:
    """Undo the ``Content-Encoding`` list (last applied first), each step bounded to ``_PIECE``."""
    names = [name.strip().lower() for name in header.split(",") if name.strip()]
    steps: list[_Decode] = []
    for name in reversed(names):
        if name in ("gzip", "x-gzip"):
            steps.append(_Inflate(zlib.MAX_WBITS | 16))
        elif name == "deflate":
            steps.append(_Inflate(zlib.MAX_WBITS, fallback=-zlib.MAX_WBITS))
        elif name == "br" and _brotli is not None:
            steps.append(_brotli_step(_brotli.Decompressor()))
        elif name != "identity":
            raise ItemError(
                f"unsupported content encoding '{name}' (newsfuse asks for {ACCEPT_ENCODING})"
            )

    def decode(data: bytes) -> Iterator[bytes]:
        pieces: Iterator[bytes] = iter((data,))
        for step in steps:
            pieces = _chain(step, pieces)
        yield from pieces

    return decode


def _chain(step: _Decode, pieces: Iterator[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from step(piece)


class _Inflate:
    """One zlib layer (gzip or deflate), handing out at most ``_PIECE`` bytes per step."""

    def __init__(self, wbits: int, fallback: int | None = None) -> None:
        self._inflater = zlib.decompressobj(wbits)
        self._fallback = fallback  # "deflate" is zlib-wrapped by the standard, raw by some servers

    def __call__(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                piece = self._inflater.decompress(data, _PIECE)
            except zlib.error:
                if self._fallback is None:
                    raise
                self._inflater, self._fallback = zlib.decompressobj(self._fallback), None
                continue
            self._fallback = None
            if piece:
                yield piece
            data = self._inflater.unconsumed_tail
            if not data and len(piece) < _PIECE:  # a full piece may leave output pending
                return


def _brotli_step(decompressor: _BrotliDecompressor) -> _Decode:
    def step(data: bytes) -> Iterator[bytes]:
        yield decompressor.process(data, output_buffer_limit=_PIECE)
        while not decompressor.can_accept_more_data():
            yield decompressor.process(b"", output_buffer_limit=_PIECE)

    return step


# --- the stage ---------------------------------------------------------------------------------------


def fetch_urls(
    urls: Iterable[str],
    settings: HttpSettings,
    *,
    transport: httpx.BaseTransport | None = None,
) -> Iterator[RawDocument | Rejection]:
    """Yield a RawDocument for each URL (HTML or plain text), or a Rejection saying why not.

    ``origin`` is the URL as given, less any credentials; ``declared.url`` the final URL after
    redirects.
    """
    with Fetcher(settings, transport=transport) as fetcher:
        for url in urls:
            yield fetch_page(fetcher, url)


def fetch_page(
    fetcher: Fetcher, url: str, declared: DeclaredMetadata | None = None
) -> RawDocument | Rejection:
    """Fetch one page through ``fetcher``; ``declared`` (from a feed entry) gets the final URL.

    The origin is the URL without credentials (:func:`strip_credentials`): it is stored and shown.
    """
    url = strip_credentials(url)
    try:
        fetched = fetcher.fetch(url, _PAGE_TYPES, "HTML or plain text")
    except ItemError as error:
        return Rejection(url, STAGE, error.reason)
    media_type = _PAGE_TYPES.get(fetched.media_type) or sniff_media_type(fetched.content)
    base = declared if declared is not None else DeclaredMetadata()
    metadata = DeclaredMetadata(
        url=fetched.url,
        title=base.title,
        outlet=base.outlet,
        byline=base.byline,
        published_at=base.published_at,
    )
    return raw_document(url, media_type, fetched.content, metadata, fetched.fetched_at)


def raw_document(
    origin: str,
    media_type: str,
    content: bytes,
    declared: DeclaredMetadata | None = None,
    fetched_at: str | None = None,
) -> RawDocument | Rejection:
    """A RawDocument, or the Rejection ``check_text`` calls for (binary, undecodable, empty)."""
    try:
        check_text(content)
    except ItemError as error:
        return Rejection(origin, STAGE, error.reason)
    return RawDocument(
        id=content_id(media_type, content, prefix="raw_"),
        origin=origin,
        media_type=media_type,
        content=content,
        declared=declared if declared is not None else DeclaredMetadata(),
        fetched_at=fetched_at,
    )


# --- URL lists ---------------------------------------------------------------------------------------

_COMMENT: Final = re.compile(r"\s#.*$")  # "url  # note"; a "#" inside a URL is a fragment


def read_url_list(path: Path, max_bytes: int = 20_000_000) -> Iterator[str | Rejection]:
    """Yield the URLs of a ``.urls``/``.txt`` list: one a line, blank lines and ``#`` comments skipped.

    A line that is not an http(s) URL is rejected as ``path:LINE``; the others are still read.  A
    list over ``max_bytes`` (``ingest.max_bytes``; ``/dev/zero`` named ``x.urls``) is rejected
    whole, unread past the limit.
    """
    try:
        with open_input(path) as stream:
            content = stream.read(max_bytes + 1)
        if len(content) > max_bytes:
            raise ItemError(f"URL list is over the {max_bytes:,}-byte limit (ingest.max_bytes)")
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield Rejection(str(path), STAGE, "a URL list must be UTF-8 text")
        return
    except ItemError as error:
        yield Rejection(str(path), STAGE, error.reason)
        return
    except OSError as error:
        yield Rejection(str(path), STAGE, f"cannot read: {error.strerror or error}")
        return
    for number, line in enumerate(text.splitlines(), start=1):
        entry = _COMMENT.sub("", line).strip()
        if not entry or entry.startswith("#"):
            continue
        try:
            _check_scheme(entry)
        except ItemError as error:
            yield Rejection(f"{path}:{number}", STAGE, error.reason)
            continue
        yield entry


# --- helpers -----------------------------------------------------------------------------------------


def strip_credentials(url: str) -> str:
    """``url`` without a ``user:password@`` part; anything else is left exactly as it was.

    Every URL newsfuse stores or shows (origins, declared URLs, rejections, redirect chains) goes
    through here, because reports and rejection lines are shared and kept.  The credentials are not
    sent either: newsfuse cites pages a reader must be able to open, a page behind a password is
    not one, and httpx would otherwise send them as Basic auth to whatever host the URL names.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    authority_end = len(rest)
    for mark in "/?#":
        found = rest.find(mark)
        if found != -1:
            authority_end = min(authority_end, found)
    authority = rest[:authority_end]
    if "@" not in authority:
        return url
    return f"{scheme}://{authority.rpartition('@')[2]}{rest[authority_end:]}"


def _check_scheme(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- a malformed port only raises when read
    except ValueError as error:
        raise ItemError(f"not a URL: {error}") from error
    if parts.scheme.lower() not in _SCHEMES:
        shown = f"'{parts.scheme}'" if parts.scheme else "(none)"
        raise ItemError(f"unsupported URL scheme {shown}; newsfuse fetches http and https")
    if not parts.hostname:
        raise ItemError("not a URL: no host name")


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header; its HTTP-date form is ignored (backoff applies)."""
    if value is not None and value.strip().isdigit():
        return float(value.strip())
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _mb(size: int) -> str:
    """Decimal units, as ``max_bytes`` is written: 20_000_000 is "20 MB"."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size // scale} {unit}" if size % scale == 0 else f"{size / scale:.1f} {unit}"
    return f"{size} bytes"
