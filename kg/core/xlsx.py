"""A minimal .xlsx writer: one sheet of strings and numbers, nothing else.

An Office Open XML workbook is a zip of a few XML parts; writing them takes
less code than a dependency would bring. Strings are inline strings (never
formulas, so a value such as ``=HYPERLINK(...)`` stays text), numbers are
numbers, the header row is bold and frozen, and the bytes are the same from
run to run (fixed zip timestamps). Characters XML 1.0 cannot hold (control
characters) are dropped from strings, since Excel refuses such files.

>>> import io, zipfile
>>> data = workbook([["name", "value"], ["临淄", 2778]], sheet="报告")
>>> sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())[:3]
['[Content_Types].xml', '_rels/.rels', 'docProps/app.xml']
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

Cell = str | int | float | Decimal | None

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
#: Excel's own limits: longer strings are cut, a sheet name is at most 31 characters.
MAX_CELL_TEXT = 32_767
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384


def _column(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: Cell, style: int) -> str:
    attr = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{attr}/>'
    if isinstance(value, bool):
        value = str(value).lower()
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            value = str(value)  # NaN and infinities are not numbers a sheet can hold
        else:
            text = format(value, "f") if isinstance(value, Decimal) else repr(value)
            return f'<c r="{ref}"{attr}><v>{text}</v></c>'
    text = _NOT_XML.sub("", str(value))[:MAX_CELL_TEXT]
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{attr} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def _sheet(rows: Sequence[Sequence[Cell]]) -> str:
    width = max((len(r) for r in rows), default=0)
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    ]
    if rows and width:
        out.append(
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/></sheetView></sheetViews>'
        )
        widths = []
        for c in range(width):
            longest = max((len(str(r[c])) if c < len(r) and r[c] is not None else 0) for r in rows[:200])
            widths.append(min(60, max(8, longest + 2)))
        out.append(
            "<cols>"
            + "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths))
            + "</cols>"
        )
    out.append("<sheetData>")
    for r, row in enumerate(rows):
        cells = "".join(_cell(f"{_column(c)}{r + 1}", v, 1 if r == 0 else 0) for c, v in enumerate(row))
        out.append(f'<row r="{r + 1}">{cells}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out)


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OOXML = "http://schemas.openxmlformats.org"
_SHEET_NS = f"{_OOXML}/spreadsheetml/2006/main"
_OFFICE = "application/vnd.openxmlformats-officedocument"
_REL = f"{_OOXML}/officeDocument/2006/relationships"


def _rels(*targets: tuple[str, str]) -> str:
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>' for i, (kind, target) in enumerate(targets, 1)
    )
    return f'{_XML}<Relationships xmlns="{_OOXML}/package/2006/relationships">{items}</Relationships>'


_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_OOXML}/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    + "".join(
        f'<Override PartName="{part}" ContentType="{kind}"/>'
        for part, kind in (
            ("/xl/workbook.xml", f"{_OFFICE}.spreadsheetml.sheet.main+xml"),
            ("/xl/worksheets/sheet1.xml", f"{_OFFICE}.spreadsheetml.worksheet+xml"),
            ("/xl/styles.xml", f"{_OFFICE}.spreadsheetml.styles+xml"),
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("/docProps/app.xml", f"{_OFFICE}.extended-properties+xml"),
        )
    )
    + "</Types>"
)

_ROOT_RELS = _rels(
    (f"{_REL}/officeDocument", "xl/workbook.xml"),
    (f"{_OOXML}/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
    (f"{_REL}/extended-properties", "docProps/app.xml"),
)
_WORKBOOK_RELS = _rels((f"{_REL}/worksheet", "worksheets/sheet1.xml"), (f"{_REL}/styles", "styles.xml"))

# Style 0: normal; style 1: bold (the header row).
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_SHEET_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(sheet: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _core(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(_NOT_XML.sub('', title))}</dc:title><dc:creator>linzi-kg</dc:creator></cp:coreProperties>"
    )


_APP = (
    f'{_XML}<Properties xmlns="{_OOXML}/officeDocument/2006/extended-properties">'
    "<Application>linzi-kg</Application></Properties>"
)


def sheet_name(text: str) -> str:
    """A name Excel accepts for a sheet: no ``[]:*?/\\``, 1 to 31 characters.

    >>> sheet_name("targets/2023: all?")
    'targets 2023  all'
    """
    name = _SHEET_NAME_BAD.sub(" ", _NOT_XML.sub("", text)).strip().strip("'")[:31].strip()
    return name or "Sheet1"


def workbook(rows: Sequence[Sequence[Cell]], *, sheet: str = "Sheet1", title: str = "") -> bytes:
    """The bytes of an .xlsx file holding ``rows`` (the first is the header)."""
    from kg.errors import UsageError

    if len(rows) > MAX_ROWS or any(len(r) > MAX_COLUMNS for r in rows):
        raise UsageError(f"a sheet holds at most {MAX_ROWS} rows and {MAX_COLUMNS} columns")
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "docProps/app.xml": _APP,
        "docProps/core.xml": _core(title or sheet),
        "xl/workbook.xml": _workbook(sheet_name(sheet)),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/styles.xml": _STYLES,
        "xl/worksheets/sheet1.xml": _sheet(rows),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2023, 2, 2, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()
