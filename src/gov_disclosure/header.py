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

__all__ = ["find_year", "find_agency"]

_PERIOD = re.compile(r"统计期限[^。\n]{0,12}?((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日")
_PERIOD_RANGE = re.compile(r"((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*至\s*((?:19|20)\d\d)\s*年\s*12\s*月\s*31\s*日")
_TITLE = re.compile(
    r"^[ \t]*(?P<agency>[^\n《》()。,;:、]{0,40}?)[ \t]*(?:关于)?[ \t]*(?:(?P<year>(?:19|20)\d\d)[ \t]*年度?)?"
    r"[ \t]*政府信息公开(?:工作)?(?:年度)?(?:报告)?[ \t]*$",
    re.M,
)
_OVERVIEW = re.compile(r"一、\s*总体情况\s*\n?(?P<body>[^\n]{0,200})")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_SECTION_1 = re.compile(r"^\s*一、\s*总体情况", re.M)


def _head(text: str) -> str:
    """The part of the text before section 一 (title area), at most 2000 characters."""
    m = _SECTION_1.search(text, 0, 4000)
    return text[: m.start()] if m else text[:2000]


def find_year(text: str) -> Optional[int]:
    """The year the report's statistics cover, or None if the text does not say."""
    m = _PERIOD.search(text) or _PERIOD_RANGE.search(text)
    if m:
        return int(m.group(1))
    m = _TITLE.search(_head(text))
    if m and m.group("year"):
        return int(m.group("year"))
    m = _OVERVIEW.search(text)
    if m:
        y = _YEAR.search(m.group("body"))
        if y:
            return int(y.group(1))
    return None


def find_agency(text: str, original: str) -> Optional[str]:
    """The reporting body named on the title line, as printed in ``original``.

    ``text`` is the normalised text (same length and positions as ``original``).
    """
    m = _TITLE.search(_head(text))
    if not m or not m.group("agency").strip():
        return None
    start, end = m.span("agency")
    agency = original[start:end].strip()
    return agency or None
