"""The explorer's two languages: Chinese first, English one click away.

Every text of the pages is a key of :data:`CATALOGUE` (``kg/i18n_catalogue.py``)
with its Chinese and its English. The language of a request is ``?lang=zh|en``
if given (remembered in a ``lang`` cookie from then on), else the cookie, else
Chinese: no script is needed to switch. :class:`LanguageMiddleware` puts the
request's language in a context variable for the length of the request, so
that every template, error pages rendered elsewhere included, reads the same
``ui`` object.

Data keeps its own language: a label is a :class:`Text` that knows whether it
is Chinese or English, and the ``tagged`` filter marks it with a ``lang``
attribute when it differs from the page's (``zh-Hans`` pages carry
``lang="en"`` on English labels and the other way round).
"""

from __future__ import annotations

import contextvars
import enum
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from markupsafe import Markup, escape

from kg.core.i18n_catalogue import CATALOGUE, ERRORS


class Lang(enum.StrEnum):
    """The explorer's languages; the value is the data's language tag."""

    ZH = "zh"
    EN = "en"

    @property
    def html(self) -> str:
        """The page's ``lang`` attribute: simplified Chinese is ``zh-Hans``."""
        return "zh-Hans" if self is Lang.ZH else "en"

    @property
    def other(self) -> Lang:
        return Lang.EN if self is Lang.ZH else Lang.ZH


COOKIE = "lang"
#: A year, so that a reader's choice outlives the browser session.
COOKIE_AGE = 365 * 24 * 3600


def parse_lang(value: str | None) -> Lang | None:
    """``zh`` or ``en`` (any case, ``zh-Hans`` and ``en-GB`` too), else None.

    >>> parse_lang("EN"), parse_lang("zh-Hans"), parse_lang("fr")
    (<Lang.EN: 'en'>, <Lang.ZH: 'zh'>, None)
    """
    if not value:
        return None
    head = value.strip().lower().split("-", 1)[0]
    return Lang(head) if head in ("zh", "en") else None


def text(key: str, lang: Lang, /, **values: Any) -> str:
    """The catalogue's text for ``key`` in ``lang``, with ``{name}`` filled in.

    >>> text("rows", Lang.EN, n=3)
    '3 rows'
    """
    zh, en = CATALOGUE[key]
    template = zh if lang is Lang.ZH else en
    return template.format(**values) if values else template


class Text(str):
    """A string from the data that knows its language (``zh``, ``en`` or None)."""

    lang: str | None

    def __new__(cls, value: object, lang: str | None = None) -> Text:
        made = super().__new__(cls, str(value))
        made.lang = lang
        return made


def labelled(pairs: Iterable[tuple[str, str | None]], lang: Lang) -> Text | None:
    """The label in ``lang`` among ``(text, language)`` pairs, else one in the
    other language, else an untagged one; None when there is none."""
    by_lang: dict[str | None, str] = {}
    for value, language in sorted(pairs, key=lambda p: (p[1] or "", p[0])):
        by_lang.setdefault((language or "").split("-", 1)[0].lower() or None, value)
    for wanted in (lang.value, lang.other.value, None):
        if wanted in by_lang:
            return Text(by_lang[wanted], wanted)
    if by_lang:
        language, value = next(iter(by_lang.items()))
        return Text(value, language)
    return None


# -- the request's language ----------------------------------------------------------


@dataclass(frozen=True)
class Current:
    """What the pages need to know about the request: its language and where it is."""

    lang: Lang
    path: str = "/"
    query: str = ""


_DEFAULT = Current(Lang.ZH)
_current: contextvars.ContextVar[Current | None] = contextvars.ContextVar("kg_i18n_current", default=None)


def current() -> Current:
    """The request's language and place (Chinese at ``/`` outside a request)."""
    return _current.get() or _DEFAULT


def current_lang() -> Lang:
    return current().lang


def request_lang(query: str, cookie_header: str | None) -> tuple[Lang, Lang | None]:
    """The language of a request, and the language ``?lang=`` asked for (None if not).

    >>> request_lang("lang=en&q=1", None)
    (<Lang.EN: 'en'>, <Lang.EN: 'en'>)
    >>> request_lang("", "theme=x; lang=en")
    (<Lang.EN: 'en'>, None)
    """
    asked = None
    for value in urllib.parse.parse_qs(query, keep_blank_values=True).get("lang", []):
        asked = parse_lang(value) or asked
    remembered = None
    if cookie_header:
        try:
            jar: SimpleCookie = SimpleCookie(cookie_header)
        except Exception:
            jar = SimpleCookie()
        morsel = jar.get(COOKIE)
        remembered = parse_lang(morsel.value) if morsel is not None else None
    return asked or remembered or Lang.ZH, asked


class LanguageMiddleware:
    """Sets the request's language for everything below it (pure ASGI), and
    remembers a ``?lang=`` choice in a cookie; answers vary by that cookie."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        cookie = headers.get(b"cookie", b"").decode("latin-1") or None
        query = scope.get("query_string", b"").decode("latin-1")
        lang, asked = request_lang(query, cookie)
        token = _current.set(Current(lang, scope.get("path", "/"), query))

        async def wrapped(message: Any) -> None:
            if message["type"] == "http.response.start":
                out = list(message.get("headers", []))
                vary = [v for k, v in out if k.lower() == b"vary"]
                out = [(k, v) for k, v in out if k.lower() != b"vary"]
                out.append((b"vary", b", ".join([*vary, b"Cookie"])))
                if asked is not None:
                    out.append(
                        (
                            b"set-cookie",
                            f"{COOKIE}={asked.value}; Path=/; Max-Age={COOKIE_AGE}; SameSite=Lax".encode(),
                        )
                    )
                message = {**message, "headers": out}
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        finally:
            _current.reset(token)


def switch_href(cur: Current | None = None) -> str:
    """The current page in the other language: its path and query with ``lang`` set.

    >>> switch_href(Current(Lang.ZH, "/search", "q=%E7%9F%B3&lang=zh"))
    '/search?q=%E7%9F%B3&lang=en'
    """
    cur = cur or current()
    pairs = [(k, v) for k, v in urllib.parse.parse_qsl(cur.query, keep_blank_values=True) if k != "lang"]
    pairs.append(("lang", cur.lang.other.value))
    return cur.path + "?" + urllib.parse.urlencode(pairs)


# -- templates -----------------------------------------------------------------------


class UI:
    """The ``ui`` object of the templates: ``ui.key`` is the key's text in the
    request's language, ``ui("key", n=3)`` fills in values; ``ui.lang``,
    ``ui.html_lang``, ``ui.switch_href`` and ``ui.switch_label`` describe the page.
    An unknown key is an error (a template typo fails its test)."""

    def __getattr__(self, key: str) -> str:
        if key.startswith("__") or key not in CATALOGUE:
            raise AttributeError(key)
        return text(key, current_lang())

    def __call__(self, key: str, /, **values: Any) -> str:
        return text(key, current_lang(), **values)

    @property
    def lang(self) -> str:
        return current_lang().value

    @property
    def html_lang(self) -> str:
        return current_lang().html

    @property
    def other_html_lang(self) -> str:
        return current_lang().other.html

    @property
    def switch_href(self) -> str:
        return switch_href()

    @property
    def switch_label(self) -> str:
        """The other language, named in itself."""
        return "English" if current_lang() is Lang.ZH else "中文"

    def maybe(self, key: str, fallback: object) -> str:
        """The key's text if the catalogue has it (keys built from data values), else ``fallback``."""
        return text(key, current_lang()) if key in CATALOGUE else str(fallback)

    def name(self, zh: object, en: object) -> Markup:
        """Of a thing's Chinese and English names, the one in the page's language
        (the other when it has none), marked with its language if it differs."""
        return tagged(_choose(zh, en, current_lang()))

    def alt(self, zh: object, en: object) -> Markup:
        """The name in the other language, when it is another text; else nothing."""
        lang = current_lang()
        main, other = _choose(zh, en, lang), _choose(zh, en, lang.other)
        return Markup("") if not other or other == main else tagged(other)

    def error(self, message: object) -> Markup:
        """An error message in the page's language: a known English message is
        translated, with the original beside it (it names files and values)."""
        return error_markup(str(message), current_lang())


def _choose(zh: object, en: object, lang: Lang) -> Text:
    first, second = (zh, en) if lang is Lang.ZH else (en, zh)
    for value, nominal in ((first, lang), (second, lang.other)):
        if value:
            return value if isinstance(value, Text) and value.lang else Text(value, nominal.value)
    return Text("", None)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def tagged(value: object) -> Markup:
    """``value`` escaped, in a ``<span lang=…>`` when its language is not the
    page's. Text of no known language that holds Chinese characters (figures
    as printed, the article's wordings) counts as Chinese."""
    lang = getattr(value, "lang", None)
    page = current_lang()
    if lang is None and page is Lang.EN and _CJK.search(str(value)):
        lang = "zh"
    if lang in ("zh", "en") and lang != page.value:
        return Markup('<span lang="{}">{}</span>').format(Lang(lang).html, value)
    return escape(value)


def emphasis(value: object) -> Markup:
    """A sentence of a text as published: its ``**`` markers drawn bold."""
    parts = str(value).split("**")
    out = [escape(p) if i % 2 == 0 else Markup("<strong>{}</strong>").format(p) for i, p in enumerate(parts)]
    if len(parts) % 2 == 0:  # an unpaired marker: shown as it is
        out[-1] = Markup("**") + escape(parts[-1])
    return Markup("").join(out)


def install(env: Any) -> dict[str, Any]:
    """Add the filters to a Jinja2 environment; returns the template globals."""
    env.filters["tagged"] = tagged
    env.filters["emphasis"] = emphasis
    ui = UI()
    env.globals["ui"] = ui
    return {"ui": ui}


# -- errors --------------------------------------------------------------------------


def translate_error(message: str, lang: Lang) -> str | None:
    """The Chinese of a known English error message (None for English, or unknown).

    >>> translate_error("no named query 'x'", Lang.ZH)
    "没有名为 'x' 的命名查询"
    """
    if lang is Lang.EN:
        return None
    first = message.splitlines()[0] if message else ""
    for pattern, zh in _ERROR_PATTERNS:
        found = pattern.match(first)
        if found:
            return zh.format(*found.groups())
    return None


def error_markup(message: str, lang: Lang) -> Markup:
    zh = translate_error(message, lang)
    if zh is None:
        return tagged(Text(message, "en"))
    return Markup('{} <span class="muted original" lang="en">({})</span>').format(zh, message)


_ERROR_PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p), zh) for p, zh in ERRORS]


def missing_keys(used: Iterable[str]) -> list[str]:
    """Keys used somewhere but absent from the catalogue (for the tests)."""
    return sorted(set(used) - set(CATALOGUE))
