"""Header fields: the year the statistics cover and the reporting body.

* ``year``: from the 统计期限 sentence (``统计期限从2025年1月1日起…``), else from
  the title line (``…2024年政府信息公开工作年度报告``), else from the first
  ``YYYY年`` of section 一 (``2024年,我镇…``).  A web page's own date line
  (``2019年12月3日星期二``) is never used.
* ``agency``: the text before the year on the title line
  (``区信访办2019年政府信息公开工作`` → ``区信访办``), as printed; else None.
"""

from __future__ import annotations

import re
from typing import Optional

__all__ = ["header_fields", "find_year", "find_agency"]

_PERIOD = re.compile(r"统计期限[^。\n]{0,12}?((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日")
_PERIOD_RANGE = re.compile(r"((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*至\s*((?:19|20)\d\d)\s*年\s*12\s*月\s*31\s*日")
_TITLE_CANDIDATE = re.compile(r"[^\n]*政府信息公开[^\n]*")
_TITLE = re.compile(
    r"(?P<agency>[^\n《》()。,;:、]{0,40}?)[ \t]*(?:关于)?[ \t]*(?:(?P<year>(?:19|20)\d\d)[ \t]*年度?)?"
    r"[ \t]*政府信息公开(?:工作)?(?:年度(?:报告?)?)?(?:报告)?"  # wrapped before its last character too (``…年度报`` / ``告``)
)
#: Markdown heading and emphasis marks (and spaces) around a line.
_MARKS = re.compile(r"^[#*\s]+|[*\s]+$")
#: A title at the start of a longer line: the agency, the year and the whole title.
_TITLE_START = re.compile(
    r"(?P<agency>[^\n《》()。,;:、\s]{2,40}?)[ \t]*(?P<year>(?:19|20)\d\d)[ \t]*年度?[ \t]*"
    r"政府信息公开(?:工作)?年度报告"
)
_OVERVIEW = re.compile(r"一、\s*总体情况\s*\n?(?P<body>[^\n]{0,200})")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_SECTION_1 = re.compile(r"^\s*一、\s*总体情况", re.M)


def _head(text: str) -> str:
    """The part of the text before section 一 (title area), at most 2000 characters."""
    m = _SECTION_1.search(text, 0, 4000)
    return text[: m.start()] if m else text[:2000]


def _title(text: str) -> "Title":
    """The title line before section 一: ``(year or None, agency start, agency end)``.

    A line that is the title, or else a line that starts with the whole title
    (``…2019年政府信息公开工作年度报告`` followed by the rest of a page flattened to one
    line).  Markdown heading and emphasis marks around it are not part of the agency."""
    candidates = list(_TITLE_CANDIDATE.finditer(_head(text)))
    for whole in (True, False):
        for line in candidates:
            stripped = _MARKS.sub("", line.group())
            m = _TITLE.fullmatch(stripped) if whole else _TITLE_START.match(stripped)
            if m:
                offset = line.start() + line.group().index(stripped)
                year = int(m.group("year")) if m.group("year") else None
                return year, offset + m.start("agency"), offset + m.end("agency")
    return None


Title = Optional[tuple[Optional[int], int, int]]


def header_fields(text: str, original: str) -> tuple[Optional[int], Optional[str]]:
    """``(year, agency)``, reading the title area once (see the module docstring).

    ``text`` is the normalised text, ``original`` the text as given (same positions).
    """
    title = _title(text)
    return _year(text, title), _agency(original, title)


def find_year(text: str) -> Optional[int]:
    """The year the report's statistics cover, or None if the text does not say."""
    return _year(text, _title(text))


def find_agency(text: str, original: str) -> Optional[str]:
    """The reporting body named on the title line, as printed in ``original``."""
    return _agency(original, _title(text))


def _year(text: str, title: Title) -> Optional[int]:
    m = _PERIOD.search(text) or _PERIOD_RANGE.search(text)
    if m:
        return int(m.group(1))
    if title and title[0]:
        return title[0]
    m = _OVERVIEW.search(text)
    if m:
        y = _YEAR.search(m.group("body"))
        if y:
            return int(y.group(1))
    return None


def _agency(original: str, title: Title) -> Optional[str]:
    if title is None:
        return None
    agency = original[title[1] : title[2]].strip()
    return agency or None
