"""Read a report and keep every character's place in the original text.

The extraction works on a *normalized* text: HTML tags dropped and entities
decoded, ``**`` emphasis removed, full-width digits and signs made
half-width, traditional characters made simplified, words broken across a
line joined. Each normalized character remembers the code-point offset of the
original character it came from, so every span the extraction finds maps back
to the text the user gave (``TextMap.original_span``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError
from kg.ingest.chars import simplify_char

#: Larger inputs are refused: a work report is tens of thousands of characters.
MAX_BYTES = 20 * 1024 * 1024


class IngestInputError(KGError):
    """The report text cannot be read (empty, binary, not UTF-8, too large)."""


@dataclass(frozen=True)
class TextMap:
    """The normalized text and, for each of its characters, the original offset."""

    original: str
    text: str
    origin: tuple[int, ...]
    is_html: bool = False

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` of the normalized ``[start, end)``.

        >>> m = normalize_text("增长**5**%")
        >>> m.text, m.original_span(2, 4), m.original_wording(2, 4)
        ('增长5%', (4, 8), '5%')
        """
        return self.origin[start], self.origin[end - 1] + 1

    def original_wording(self, start: int, end: int) -> str:
        """The original text of a normalized span, without markup (what the span check sees)."""
        s, e = self.original_span(start, end)
        raw = self.original[s:e]
        if self.is_html:
            raw = html.unescape(re.sub(r"<[^>]*>", "", raw))
        return re.sub(r"\*\*|\s+", "", raw)


_FULL_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_FULL_WIDTH.update({"\u3000": " ", "\xa0": " ", "\u2002": " ", "\u2003": " "})
_DROP = {"\u200b", "\u200c", "\u200d", "\ufeff", "\r"}
_BLOCK_TAGS = re.compile(r"^</?(p|br|div|h[1-6]|li|tr|td|th|section|article|table|ul|ol|header|footer|title)\b", re.I)
# Scripts, styles and a page's navigation and footer are not the report.
_TAG = re.compile(r"<!--.*?-->|<(script|style|nav|footer|noscript)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")


def read_report(path: Path) -> TextMap:
    """Read a report file (UTF-8 text or a saved HTML page) into a :class:`TextMap`.

    Raises :class:`IngestInputError` with one line naming the file for an
    empty, binary, non-UTF-8 or oversized file.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestInputError(
                f"{path}: {size / 1024 / 1024:.0f} MB is too large for a report (limit {MAX_BYTES // 1024 // 1024} MB)"
            )
        raw = path.read_bytes()
    except OSError as err:
        raise IngestInputError(f"{path}: cannot read: {err.strerror or err}") from None
    return decode_report(raw, name=str(path))


def decode_report(raw: bytes, *, name: str = "<text>") -> TextMap:
    """Decode and normalize report bytes; see :func:`read_report`."""
    if not raw.strip():
        raise IngestInputError(f"{name}: the file is empty")
    if b"\x00" in raw[:65536]:
        raise IngestInputError(f"{name}: binary file (NUL bytes), not a report text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise IngestInputError(
            f"{name}: not UTF-8 text (invalid byte at offset {err.start}); convert it first, "
            "e.g. iconv -f GB18030 -t UTF-8 (BIG5 for traditional texts)"
        ) from None
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise IngestInputError(f"{name}: binary file (control characters), not a report text")
    return normalize_text(text)


def _looks_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or bool(re.search(r"<(body|p|div)\b", head))


def normalize_text(text: str) -> TextMap:
    """Normalize ``text`` (see the module docstring), keeping the offset map.

    >>> m = normalize_text("產值１２３億元")
    >>> m.text
    '产值123亿元'
    """
    is_html = _looks_html(text)
    chars: list[str] = []
    origin: list[int] = []
    if is_html:
        _strip_html(text, chars, origin)
    else:
        chars = list(text)
        origin = list(range(len(text)))
    out_chars: list[str] = []
    out_origin: list[int] = []
    i = 0
    while i < len(chars):
        ch = chars[i]
        if ch == "*" and i + 1 < len(chars) and chars[i + 1] == "*":
            i += 2
            continue
        if ch in _DROP:
            i += 1
            continue
        ch = _FULL_WIDTH.get(ch, ch)
        out_chars.append(simplify_char(ch))
        out_origin.append(origin[i])
        i += 1
    joined_chars, joined_origin = _join_broken_lines(out_chars, out_origin)
    return TextMap(text, "".join(joined_chars), tuple(joined_origin), is_html)


def _strip_html(text: str, chars: list[str], origin: list[int]) -> None:
    pos = 0
    for m in _TAG.finditer(text):
        _text_run(text, pos, m.start(), chars, origin)
        if _BLOCK_TAGS.match(m.group(0)) and (not chars or chars[-1] != "\n"):
            chars.append("\n")
            origin.append(m.start())
        pos = m.end()
    _text_run(text, pos, len(text), chars, origin)


def _text_run(text: str, start: int, end: int, chars: list[str], origin: list[int]) -> None:
    i = start
    while i < end:
        if text[i] == "&":
            m = _ENTITY.match(text, i, end)
            if m:
                decoded = html.unescape(m.group(0))
                if decoded != m.group(0):
                    for ch in decoded:
                        chars.append(ch)
                        origin.append(i)
                    i = m.end()
                    continue
        ch = text[i]
        # Source line breaks inside HTML are layout, not structure.
        chars.append(" " if ch in "\n\t" else ch)
        origin.append(i)
        i += 1


_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_PUNCT = set(",。;:")


def _join_broken_lines(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    """Drop line breaks that cut a word: inside a body paragraph or a congress name.

    A break is joined when the line before is body text (it has sentence
    punctuation and ends with a Chinese character, not with 。) and the next
    non-blank line starts with a Chinese character; or when the line ends with
    届 (a session number whose congress is on the next line).
    """
    text = "".join(chars)
    drop: set[int] = set()
    for m in re.finditer(r"\n[ \t\n]*", text):
        before_start = text.rfind("\n", 0, m.start()) + 1
        line = text[before_start : m.start()].strip()
        nxt = text[m.end() : m.end() + 1]
        if not line or not nxt or not _CJK.match(nxt) or not _CJK.match(line[-1]):
            continue
        if m.group(0).count("\n") > 3:
            continue
        body = len(line) > 20 and any(c in _SENTENCE_PUNCT for c in line)
        if body or line.endswith("届"):
            drop.update(range(m.start(), m.end()))
    if not drop:
        return chars, origin
    keep = [i for i in range(len(chars)) if i not in drop]
    return [chars[i] for i in keep], [origin[i] for i in keep]
