"""Links, addresses and names in text, and the index of those a source conversation holds.

The output guard (:mod:`bot.summaries.guard`) asks one question of every text a model wrote: what
does it carry that the source does not? This module answers it.

* :func:`reading_form` reads text the way a person or a browser would: zero-width, bidi and tag
  characters stripped, HTML entities and the percent-escapes of ``/ : @ .`` decoded, NFKC-folded
  (full-width ``ｅｖｉｌ．ｅｘａｍｐｌｅ``), and the usual "defanged" spellings refanged
  (``evil[.]example``, ``hxxps://``, ``[at]``).
* :func:`find_links` lists every link-like thing in a text as a :class:`Link`: a URL of any scheme, a
  Slack reference (``<!here>``, ``<@U1>``), an e-mail address, a broadcast word, an ``@name``, a bare
  domain or IPv4 address. Links are normalised so they compare whole: scheme and host case,
  IDN/punycode through ``idna``'s UTS #46 mapping (a Cyrillic look-alike becomes ``xn--…`` and never
  equals the Latin name), default ports, trailing ``/`` and sentence punctuation. A bare domain is told
  from ``v2.4`` or ``e.g.`` by the Public Suffix List shipped inside ``tldextract`` (never fetched, see
  :func:`_public_suffixes`), plus the special-use names of RFC 2606/6761 (``.example``, ``.test``, …).
* :class:`SourceIndex` holds what the source's *live* links, addresses and names are — a link the
  source wrote defanged was not a link there, so the output may not make it one — and says which
  links of an output are foreign.

The patterns only start at word boundaries and never nest quantifiers, so they stay linear on long
messages.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import unquote, urlsplit

import idna
import tldextract

from bot.lang import CJK_CHARS
from bot.llm.prompts import load_prompt
from bot.models import Message

SUMMARY_PROMPTS = ("system", "summarize", "answer", "reduce")
"""The prompts a summary or an answer must not repeat."""
BROADCASTS = frozenset({"channel", "here", "everyone", "group"})
"""Slack's broadcast words (``@channel``, …): never in Recap's output."""
NEVER_SCHEMES = frozenset({"javascript", "vbscript", "data", "file", "blob"})
"""URL schemes that never pass, even when the source has them."""
RESERVED_SUFFIXES = ("example", "test", "invalid", "localhost", "local", "onion", "internal", "alt")
"""Special-use names (RFC 2606, 6761, 6762, 7686, 9476; ICANN's ``.internal``), not in the Public Suffix List."""
SHINGLE_WORDS = 8  # a run this long shared with a prompt, and absent from the source, is prompt text

# Characters a reader never sees: zero-width, bidi controls, tag characters ("ASCII smuggling").
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
                        "\U000e0000-\U000e007f]")
# Joiners are part of emoji and of some scripts; next to ASCII they only hide things.
_ASCII_JOINER = re.compile(r"(?<=[\x00-\x7f])[\u200c\u200d]|[\u200c\u200d](?=[\x00-\x7f])")
_ALL_JOINERS = re.compile("[\u034f\u200c\u200d\ufe00-\ufe0f]")
_URL_ESCAPE = re.compile(r"%(?:2F|3A|40|2E)", re.IGNORECASE)  # the escapes that hide a link's shape
_CJK_DOT = re.compile(f"(?<=[{CJK_CHARS}])\uff0e|\uff0e(?=[{CJK_CHARS}])")
_IDEOGRAPHIC_DOT = re.compile(r"(?<=[A-Za-z0-9-])[\u3002\uff61](?=[A-Za-z0-9])")  # evil。example (UTS #46 reads a dot)
_DEFANG = (
    (re.compile(r"\s*[\[({]\s*(?:\.|dot)\s*[\])}]\s*", re.IGNORECASE), "."),
    (re.compile(r"\\\."), "."),
    (re.compile(r"\bh(?:xx|XX|\*\*)p(s?)(?=\s*\[?:)"), r"http\1"),
    (re.compile(r"\[\s*(:|://)\s*\]"), r"\1"),
    (re.compile(r"\s*[\[({]\s*(?:@|at)\s*[\])}]\s*", re.IGNORECASE), "@"),
)

_OTHER_SCHEMES = "mailto|tel|sms|about|intent|callto|facetime|magnet|xmpp|sips?|news|geo|market|slack|zoommtg|msteams"
# Schemes without "//" need a body with no space ("JavaScript: the good parts" is a title, not a URL).
_SCHEME_URL = re.compile(
    r"(?<![A-Za-z0-9+.-])(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]{0,30})://(?P<rest>[^\s<>\"'`|]*)"
    r"|(?P<never>(?:java|vb)script:(?=[^\s<>\"'`|])|data:(?:[a-z]+/[\w.+-]+|[;,])|file:/|blob:[a-z]+:)[^\s<>\"'`|]*"
    rf"|(?P<other>{_OTHER_SCHEMES}):(?P<body>[^\s<>\"'`|]+))",
    re.IGNORECASE)
_SLACK_REF = re.compile(r"<([@!#])([^<>|\s]*)(?:\|[^<>]*)?>")
_EMAIL = re.compile(r"(?<![\w.+%-])[\w.+%-]+@((?:[\w-]+\.)+[\w-]+)")
_BROADCAST = re.compile(r"(?<![\w@])@(channel|here|everyone|group)\b", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@./])@([\w][\w.\-]*\w|\w)")
_BARE = re.compile(r"(?<![\w-])(?<![\w-]\.)((?:[\w-]+\.)+[\w-]+)(:\d{1,5})?(/[^\s<>\"'`|]*)?")
_TRAILING = ".,;:!?'\"”’»)]}…"
_WORD = re.compile(r"\w+")


@cache
def _public_suffixes() -> tldextract.TLDExtract:
    """The Public Suffix List snapshot inside the ``tldextract`` package.

    ``suffix_list_urls=()`` leaves no URL to fetch and ``cache_dir=None`` no file to write, so
    ``tldextract`` falls back to its bundled ``.tld_set_snapshot`` (``suffix_list.py``:
    ``_get_suffix_lists``): nothing is downloaded at run time.
    """
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True,
                                 extra_suffixes=RESERVED_SUFFIXES)


def _host_key(host: str) -> str:
    """A host compared as a DNS name: lower case, IDNA 2008 A-labels after UTS #46 mapping (so a Cyrillic
    look-alike is ``xn--…`` and never equals the Latin name); ``?host`` when it is not a valid name."""
    host = host.strip().strip(".").lower()
    if not host:
        return ""
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return "?" + host


def _trim(text: str) -> str:
    while text and text[-1] in _TRAILING:
        if text[-1] == ")" and text.count("(") >= text.count(")"):
            break
        text = text[:-1]
    return text


@dataclass(frozen=True)
class Link:
    """One link-like thing found in a text.

    Attributes:
        kind: ``"url"`` (a link to a page), ``"host"`` (a whole site: ``docs.example.com``), ``"email"``,
            ``"name"`` (an ``@name``), or ``"never"`` (a broadcast, or a ``javascript:``-like scheme).
        key: the normalised form compared with the source's (``docs.example.com/release-plan``,
            ``ftp://files.example/x``, ``bob@example.com``, ``raj``, ``@channel``).
        host: the normalised host of a ``url`` or ``host``, else ``""``.
    """

    kind: str
    key: str
    host: str = ""


def _url_item(scheme: str, rest: str) -> Link:
    """``scheme://rest`` as an item: ``host`` when it names a whole site, else ``url``."""
    scheme = scheme.lower()
    rest = _trim(rest)
    try:
        parts = urlsplit(f"{scheme}://{rest}")
        port = parts.port
        hostname = parts.hostname or ""
    except ValueError:
        return Link("url", f"{scheme}://{rest.lower()}")
    host = _host_key(unquote(hostname))
    if port is not None and not (scheme == "http" and port == 80) and not (scheme == "https" and port == 443):
        host_port = f"{host}:{port}"
    else:
        host_port = host
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    netloc = f"{userinfo.lower()}@{host_port}" if userinfo else host_port
    path = unquote(parts.path).rstrip("/")
    query, fragment = unquote(parts.query), unquote(parts.fragment)
    tail = path + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")
    prefix = "" if scheme in ("http", "https") else f"{scheme}://"
    if not tail and not userinfo:
        return Link("host", prefix + host_port, host)
    return Link("url", prefix + netloc + tail, host)


def _email_key(address: str) -> str:
    local, _, domain = address.rpartition("@")
    return f"{local.lower()}@{_host_key(domain)}"


def _is_domain(host: str) -> bool:
    """True when ``host`` ends in a public suffix (or a reserved one) after at least one more label, or is
    an IPv4 address."""
    labels = host.split(".")
    if len(labels) == 4 and all(label.isdigit() and int(label) <= 255 for label in labels):
        return True
    if any(not label for label in labels):
        return False
    parts = _public_suffixes()(host)
    return bool(parts.suffix and parts.domain)


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def find_links(text: str) -> list[Link]:
    """Every link-like thing in ``text``: URLs of any scheme, Slack references, e-mail addresses, broadcasts,
    ``@names``, bare domains and IPv4 addresses (each found once: what one kind matched is masked for the next)."""
    found: list[Link] = []
    for match in list(_SCHEME_URL.finditer(text)):
        if match.group("scheme"):
            scheme = match.group("scheme").lower()
            found.append(Link("never", scheme) if scheme in NEVER_SCHEMES else _url_item(scheme, match.group("rest")))
        elif match.group("never"):
            found.append(Link("never", match.group("never").split(":", 1)[0].lower()))
        else:
            scheme, body = match.group("other").lower(), _trim(match.group("body"))
            if scheme == "mailto":
                found.append(Link("email", _email_key(unquote(body).split("?", 1)[0])))
            else:
                found.append(Link("url", f"{scheme}:{body.lower()}"))
        text = _mask(text, match.start(), match.end())
    for match in list(_SLACK_REF.finditer(text)):
        sigil, target = match.group(1), match.group(2)
        if sigil == "!":
            found.append(Link("never", "<!" + target.lower()))
        elif sigil == "@":
            found.append(Link("name", "<@" + target.lower()))
        text = _mask(text, match.start(), match.end())
    for match in list(_EMAIL.finditer(text)):
        found.append(Link("email", _email_key(match.group(0))))
        text = _mask(text, match.start(), match.end())
    for match in list(_BROADCAST.finditer(text)):
        found.append(Link("never", "@" + match.group(1).lower()))
        text = _mask(text, match.start(), match.end())
    for match in list(_MENTION.finditer(text)):
        found.append(Link("name", match.group(1).lower()))
        text = _mask(text, match.start(), match.end())
    for match in _BARE.finditer(text):
        host = match.group(1)
        if not _is_domain(host.lower()):
            continue
        found.append(_url_item("http", host + (match.group(2) or "") + (match.group(3) or "")))
    return found


def strip_invisible(text: str) -> str:
    """``text`` without the characters a reader never sees (zero-width, bidi controls, tag characters);
    joiners stay only between non-ASCII characters (emoji sequences, Indic and Persian text)."""
    return _ASCII_JOINER.sub("", _INVISIBLE.sub("", text))


def reading_form(text: str) -> str:
    """``text`` as a person or a browser reads it: invisible characters stripped, HTML entities and the
    percent-escapes of ``/ : @ .`` decoded, NFKC-folded (full-width letters and dots become ASCII, except a
    full-width dot beside CJK text, which is punctuation), an ideographic full stop between ASCII letters
    read as a dot (as UTS #46 does), and defanged links refanged (``evil[.]example`` -> ``evil.example``,
    ``hxxps`` -> ``https``, ``[at]`` -> ``@``)."""
    text = _ALL_JOINERS.sub("", strip_invisible(text))
    text = _URL_ESCAPE.sub(lambda m: unquote(m.group(0)), html.unescape(text))
    text = unicodedata.normalize("NFKC", _CJK_DOT.sub("\u3002", text))
    text = _IDEOGRAPHIC_DOT.sub(".", text)
    text = _INVISIBLE.sub("", text)
    for pattern, replacement in _DEFANG:
        text = pattern.sub(replacement, text)
    return text


@dataclass
class SourceIndex:
    """What the source conversation contains that output may repeat: its links, hosts, e-mail addresses and
    names, all normalised as :func:`find_links` normalises them.

    Only live links count: a link the source wrote defanged (``evil[.]example``) or hid (``ht\u200btps``)
    was not a link there, so the output may not turn it into one.

    Attributes:
        urls: normalised URLs (``docs.example.com/release-plan``; the scheme is kept for schemes other
            than http/https).
        hosts: hosts of every link (``docs.example.com``), for output that names a whole site.
        emails: ``local@host`` addresses.
        names: ``@names`` without ``@`` and authors' names, lower case.
    """

    urls: set[str] = field(default_factory=set)
    hosts: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    words: list[str] = field(default_factory=list, repr=False)
    _echoes: dict[tuple[str, ...], frozenset[tuple[str, ...]]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_texts(cls, texts: Iterable[str], *, names: Iterable[str] = ()) -> SourceIndex:
        """Index source texts (message text as the readers return it) and the authors' ``names``."""
        index = cls()
        for text in texts:
            text = text or ""
            index.words.extend(_WORD.findall(text.lower()))
            for item in find_links(text):
                if item.kind == "url":
                    index.urls.add(item.key)
                    if item.host:
                        index.hosts.add(item.host)
                elif item.kind == "host":
                    index.hosts.add(item.key)
                    index.hosts.add(item.host)
                elif item.kind == "email":
                    index.emails.add(item.key)
                elif item.kind == "name":
                    index.names.add(item.key)
        for name in names:
            name = (name or "").strip().lstrip("@").lower()
            if name:
                index.names.add(name)
                index.names.update(name.split())
        index.names -= BROADCASTS
        return index

    @classmethod
    def from_messages(cls, messages: Sequence[Message]) -> SourceIndex:
        """Index a conversation: every message's text, and its author's name."""
        return cls.from_texts((m.text for m in messages), names=(m.user_name for m in messages))

    def allows(self, item: Link) -> bool:
        """True when output may carry ``item``."""
        if item.kind == "url":
            return item.key in self.urls
        if item.kind == "host":
            return item.key in self.hosts
        if item.kind == "email":
            return item.key in self.emails
        if item.kind == "name":
            return item.key in self.names
        return False

    def foreign(self, text: str) -> list[Link]:
        """What ``text`` carries that the source does not (read as :func:`reading_form` reads it)."""
        return [item for item in find_links(reading_form(text)) if not self.allows(item)]

    def echoes_prompt(self, text: str, prompts: Sequence[str] = SUMMARY_PROMPTS) -> bool:
        """True when ``text`` has :data:`SHINGLE_WORDS` words in a row from one of ``prompts`` that the source
        does not also contain."""
        key = tuple(prompts)
        if key not in self._echoes:
            prompt = _prompt_shingles(key)
            words = self.words
            in_source = {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
                         if tuple(words[i : i + SHINGLE_WORDS]) in prompt}
            self._echoes[key] = prompt - in_source
        echoes = self._echoes[key]
        said = _WORD.findall(text.lower())
        return any(tuple(said[i : i + SHINGLE_WORDS]) in echoes for i in range(len(said) - SHINGLE_WORDS + 1))


@cache
def _prompt_shingles(prompts: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    shingles: set[tuple[str, ...]] = set()
    for name in prompts:
        try:
            words = _WORD.findall(load_prompt(name).lower())
        except (FileNotFoundError, OSError):  # a missing template simply adds nothing
            continue
        shingles.update(tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))
    return frozenset(shingles)
