"""Render a :class:`~gov_disclosure.model.Report` as report text, in any layout.

The inverse of :func:`gov_disclosure.parse`, for tests and fixtures: it writes
the national template's tables with the report's numbers, with narrative
sections around them, in each layout real pages produce::

    render(report, layout="pipe")            # 000-style: "|" line, then "cell |" lines
    render(report, layout="trailing_pipe")   # 001-style: "cell |" lines, rows end with "||"
    render(report, layout="tab")             # 004-style: "\\tcell" lines, blank line between rows
    render(report, layout="newline")         # one cell per line, nothing else
    render(report, layout="space")           # PDF-style: a row per line, cells separated by spaces
    render(report, layout="pipe", traditional=True, fullwidth=True)
    render(report, layout="tab", variants=Variants(ordinal="（1）", captions=False))

``variants`` prints the label variants real reports print and the grammar reads
(:class:`Variants`: sub-row numbering, quotes, 反覆, missing captions and
headings, truncated or wrapped headers, a web page's date line); the default
prints the canonical labels.

``parse(render(r, layout=...)) == r`` for every layout (a property test checks it).
:func:`table_rows` gives the tables as rows of cells, for other renderers
(HTML, DOCX, PDF).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Optional

from . import editions as _editions
from . import schema as _schema

__all__ = [
    "render", "table_rows", "table_two_blocks", "LAYOUTS", "format_value", "row_values", "label",
    "Variants", "VARIANT_CHOICES", "CANONICAL",
]

LAYOUTS = ("pipe", "trailing_pipe", "tab", "newline", "space")


def table_two_blocks(edition: str) -> "tuple[_editions.Block, ...]":
    """Table 二 of ``edition`` as its grammar states it: caption, headers, rows per block."""
    return _editions.get(edition).compile().table_two_blocks()


BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_HEADER = [
    [BALANCE_NOTE, "申请人情况"],
    ["自然人", "法人或其他组织", "总计"],
    ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]
OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
APPEALS_HEADER = [
    ["行政复议", "行政诉讼"],
    [*OUTCOMES, "未经复议直接起诉", "复议后起诉"],
    [*OUTCOMES, *OUTCOMES],
]

SECTIONS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


@dataclass(frozen=True)
class Variants:
    """How labels are printed: the canonical template (the default) or a variant
    that real reports print and the grammar reads (``templates.md`` §7).

    ``ordinal``
        numbering of the sub-rows of （三）–（六）: ``"1."`` (canonical), ``"1．"``,
        ``"1、"``, ``"(1)"``, ``"（1）"`` or ``""`` (no number).
    ``group_ordinal``
        numbering of （一）予以公开 … （七）总计: ``"（一）"``, ``"(一)"`` or ``""``.
    ``top_ordinal``
        ``一、``/``二、``/``四、`` before 本年新收…, 上年结转…, 结转下年度…; False drops it.
    ``quotes``
        the quotes around 三安全一稳定: ``"“”"``, ``'""'`` or ``""`` (none).
    ``endanger``
        False prints 三安全一稳定 without 危及.
    ``repeat``
        ``"复"`` or ``"覆"`` in 无正当理由大量反复申请.
    ``captions``
        False leaves out the group captions 三、本年度办理结果, （三）不予公开,
        （四）无法提供, （五）不予处理 and, where it carries no numbers (2021),
        （六）其他处理.
    ``partial_note``
        True prints （二）部分公开（区分处理的，只计这一情形，不计其他情形）.
    ``separator``
        the mark in 逾期不补正、行政机关不再处理…: ``"、"``, ``"，"`` or ``""``.
    ``normative``
        the label of the 规范性文件 row: None (the edition's own), ``"规范性文件"``
        or ``"行政规范性文件"``.
    ``appeal_headers``
        table 四's headers: ``"full"``, ``"spaced"`` (``结果 纠正``) or
        ``"truncated"`` (``结果``, ``其他``, ``尚未``: a two-line cell's second line lost).
    ``spaced_headers``
        True breaks table 三's column headers with a space (``商业 企业``).
    ``wrap``
        In the ``tab`` layout, long column headers of table 二 go on to a second
        line (``本年新`` / ``制作数量``); ignored in the other layouts.
    ``headings``
        False leaves out the section headings 三、 and 四、 before tables 三 and 四.
    ``page_date``
        a web page's date line printed before the title (``2019年12月3日星期二``);
        the year of the statistics comes from the 统计期限 sentence, not from it.
    """

    ordinal: str = "1."
    group_ordinal: str = "（一）"
    top_ordinal: bool = True
    quotes: str = "“”"
    endanger: bool = True
    repeat: str = "复"
    captions: bool = True
    partial_note: bool = False
    separator: str = "、"
    normative: Optional[str] = None
    appeal_headers: str = "full"
    spaced_headers: bool = False
    wrap: bool = False
    headings: bool = True
    page_date: Optional[str] = None


#: The canonical labels (what ``render`` prints without ``variants``).
CANONICAL = Variants()

#: Every value each :class:`Variants` field may take (``page_date``: examples).
VARIANT_CHOICES: dict[str, tuple[Any, ...]] = {
    "ordinal": ("1.", "1．", "1、", "(1)", "（1）", ""),
    "group_ordinal": ("（一）", "(一)", ""),
    "top_ordinal": (True, False),
    "quotes": ("“”", '""', ""),
    "endanger": (True, False),
    "repeat": ("复", "覆"),
    "captions": (True, False),
    "partial_note": (False, True),
    "separator": ("、", "，", ""),
    "normative": (None, "规范性文件", "行政规范性文件"),
    "appeal_headers": ("full", "spaced", "truncated"),
    "spaced_headers": (False, True),
    "wrap": (False, True),
    "headings": (True, False),
    "page_date": (None, "2019年12月3日星期二", "2023-01-16 09:30 来源：本站"),
}

_SUB_ORDINAL = re.compile(r"^(\d)\.")
_GROUP_ORDINAL = re.compile(r"^（([一二三四五六七])）")
_TOP_ORDINAL = re.compile(r"^[一二三四]、(?=本年新收|上年结转|本年度办理结果|结转下年度)")
_PARTIAL = "（区分处理的，只计这一情形，不计其他情形）"
_TRUNCATED = {"结果维持": "结果", "结果纠正": "结果", "其他结果": "其他", "尚未审结": "尚未"}


def _vary(text: str, v: Variants) -> str:
    """A table-三 row label or caption as ``v`` prints it."""
    if v == CANONICAL:
        return text
    if v.ordinal != "1.":
        text = _SUB_ORDINAL.sub(lambda m: _ordinal(v.ordinal, m.group(1)), text)
    if v.group_ordinal != "（一）":
        text = _GROUP_ORDINAL.sub(lambda m: v.group_ordinal.replace("一", m.group(1)), text)
    if not v.top_ordinal:
        text = _TOP_ORDINAL.sub("", text)
    if "三安全一稳定" in text:
        core = "三安全一稳定"
        if v.quotes:
            core = v.quotes[0] + core + v.quotes[-1]
        text = text.replace("“三安全一稳定”", core)
        if not v.endanger:
            text = text.replace("危及", "")
    if v.repeat != "复":
        text = text.replace("反复", "反" + v.repeat)
    if v.separator != "、":
        text = text.replace("不补正、", "不补正" + v.separator).replace("费用、", "费用" + v.separator)
    if v.partial_note and text.endswith("部分公开"):
        text += _PARTIAL
    return text


def _ordinal(style: str, digit: str) -> str:
    return style.replace("1", digit) if style else ""


def _appeal_header(text: str, v: Variants) -> str:
    if v.appeal_headers == "truncated":
        return _TRUNCATED.get(text, text)
    if v.appeal_headers == "spaced" and text in _TRUNCATED:
        return text[:2] + " " + text[2:]
    return text


def _spaced(text: str, v: Variants) -> str:
    if v.spaced_headers and len(text) == 4:
        return text[:2] + " " + text[2:]
    return text


def format_value(value: Any, unit: Optional[str] = None) -> str:
    """A cell as a report prints it: ``—`` for no value, decimals exactly."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        text = format(value, "f")
    else:
        text = str(value)
    return text + (unit or "")


def row_values(row: Any) -> list[tuple[Any, Optional[str]]]:
    """The printed cells of a row: ``(value, unit)`` per cell, in template order
    (a unit field such as ``amount_unit`` rides with its amount, not as a cell)."""
    return [
        (getattr(row, c.name), getattr(row, c.unit_field) if c.unit_field else None)
        for c in _schema.cells_of(type(row))
    ]


def _values(row: Any, missing: str = "—") -> list[str]:
    return [missing if value is None else format_value(value, unit) for value, unit in row_values(row)]


def label(obj: Any, name: str) -> str:
    """The label the template prints for field ``name`` of ``obj``."""
    return _schema.field_label(type(obj), name)


def table_rows(
    report: Any, variants: Optional[Variants] = None, missing: str = "—"
) -> dict[str, list[list[str]]]:
    """The three tables as rows of cell texts (captions, headers and data rows).

    Keys are ``"active_disclosure"``, ``"applications"``, ``"appeals"``.  In table
    三 a group caption (``三、本年度办理结果``, ``（三）不予公开`` …) is the first cell
    of its group's first row, as in the official template's merged cells.  Table
    二 follows the edition's grammar (:func:`table_two_blocks`), so a registered
    edition renders without changes here.  ``variants`` prints label variants
    (:class:`Variants`; the ``wrap`` and ``headings`` fields apply in :func:`render`),
    ``missing`` is the mark printed for a missing value (``—``, ``/``, ``无`` …).
    """
    v = variants or CANONICAL
    two: list[list[str]] = []
    ad = report.active_disclosure
    for block in table_two_blocks(report.edition):
        two.append([block.caption])
        two.append([block.label_header, *block.headers])
        for name in block.rows:
            row_label = label(ad, name)
            if name == "normative_documents" and v.normative:
                row_label = v.normative
            two.append([row_label, *_values(getattr(ad, name), missing)])

    three: list[list[str]] = [list(r) for r in APPLICANT_HEADER]
    if v.spaced_headers:
        three = [[_spaced(c, v) for c in r] for r in three]
    apps = report.applications
    for name, _cls, caption in _schema.children(type(apps)):
        value = getattr(apps, name)
        subs = list(_schema.children(type(value)))
        if subs:
            for i, (sub_name, _sub, sub_label) in enumerate(subs):
                group = [_vary(caption, v)] if i == 0 and v.captions else []
                three.append([*group, _vary(sub_label, v), *_values(getattr(value, sub_name), missing)])
        else:
            prefix = [_vary("三、本年度办理结果", v)] if name == "granted" and v.captions else []
            three.append([*prefix, _vary(caption, v), *_values(value, missing)])

    four: list[list[str]] = [list(r) for r in APPEALS_HEADER]
    if v.appeal_headers != "full":
        four = [[_appeal_header(c, v) for c in r] for r in four]
    numbers: list[str] = []
    for name, _cls, _label in _schema.children(type(report.appeals)):
        numbers.extend(_values(getattr(report.appeals, name), missing))
    four.append(numbers)
    return {"active_disclosure": two, "applications": three, "appeals": four}


def _narrative(report: Any, variants: Optional[Variants] = None) -> dict[str, list[str]]:
    v = variants or CANONICAL
    year = report.year
    title = f"{report.agency or ''}{f'{year}年' if year else ''}政府信息公开工作年度报告"
    front = [title] if (report.agency or year) else []
    if v.page_date:
        front.insert(0, v.page_date)
    if year:
        front.append(
            "本年度报告根据《中华人民共和国政府信息公开条例》编制。本年度报告中所列数据统计期限"
            f"自{year}年1月1日起至{year}年12月31日止。"
        )
    overview = [
        SECTIONS[0],
        "本机关坚持以公开为常态、不公开为例外，认真落实政府信息公开各项要求。",
        "（一）主动公开情况",
        "及时发布各类政府信息，持续完善公开目录。",
        "（二）依申请公开情况",
        "规范受理、审核、答复全流程管理。",
        SECTIONS[1],
    ]
    return {
        "front": front + overview,
        "before_applications": [SECTIONS[2]] if v.headings else [],
        "before_appeals": [SECTIONS[3]] if v.headings else [],
        "back": [
            SECTIONS[4],
            "（一）存在的主要问题：公开内容的深度和广度有待提升。",
            "（二）改进情况：加强培训，提升工作人员业务能力。",
            SECTIONS[5],
            "本年度未收取信息处理费。",
        ],
    }


def _wrap(cell: str) -> str:
    """A long header cell on two lines, as pages print a wrapped cell: ``本年新`` / ``制作数量``."""
    return cell[:3] + "\n" + cell[3:] if len(cell) >= 6 else cell


def _layout(rows: list[list[str]], layout: str, wrap: bool = False) -> list[str]:
    out: list[str] = []
    for row in rows:
        if wrap and layout == "tab" and row and row[0] == "信息内容":
            row = [row[0], *(_wrap(c) for c in row[1:])]
        if layout == "pipe":
            out.append("|")
            out.extend(f"{c} |" for c in row[:-1])
            out.append(f"{row[-1]} | ||")
        elif layout == "trailing_pipe":
            out.extend(f"{c} |" for c in row)
            out.append("||")
        elif layout == "tab":
            out.extend(f"\t{c}" for c in row)
            out.append("")
        elif layout == "newline":
            out.extend(row)
        elif layout == "space":
            out.append(" ".join(row))
        else:
            raise ValueError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    return out


_FULLWIDTH_DIGITS = str.maketrans("0123456789.", "０１２３４５６７８９．")


def render(
    report: Any,
    layout: str = "pipe",
    *,
    traditional: "bool | str" = False,
    fullwidth: bool = False,
    narrative: bool = True,
    variants: Optional[Variants] = None,
    missing: str = "—",
) -> str:
    """The report as text in ``layout`` (see :data:`LAYOUTS`).

    ``traditional`` converts the whole text to traditional script (OpenCC ``s2t``;
    pass another OpenCC configuration name, e.g. ``"s2twp"``, for Taiwan phrasing),
    ``fullwidth`` prints digits full-width, ``narrative`` adds the title, preamble
    and the prose sections around the tables, ``variants`` prints label variants
    (:class:`Variants`; default: the canonical labels), ``missing`` is the mark
    printed for a missing value (one the grammar reads as a value: ``—``, ``/``,
    ``无``, ``不适用``, ``-``).
    """
    v = variants or CANONICAL
    tables = table_rows(report, v, missing)
    text_parts = _narrative(report, v) if narrative else {}
    lines: list[str] = []
    lines += text_parts.get("front", [])
    lines += _layout(tables["active_disclosure"], layout, v.wrap)
    lines += text_parts.get("before_applications", [])
    lines += _layout(tables["applications"], layout)
    lines += text_parts.get("before_appeals", [])
    lines += _layout(tables["appeals"], layout)
    lines += text_parts.get("back", [])
    text = "\n".join(lines) + "\n"
    if fullwidth:
        text = text.translate(_FULLWIDTH_DIGITS)
    if traditional:
        text = to_traditional(text, traditional if isinstance(traditional, str) else "s2t")
    return text


def to_traditional(text: str, config: str = "s2t") -> str:
    """Simplified → traditional with OpenCC (phrase level, as real mirror sites do)."""
    if config not in _CONVERTERS:
        from opencc import OpenCC

        _CONVERTERS[config] = OpenCC(config)
    return str(_CONVERTERS[config].convert(text))


_CONVERTERS: dict[str, Any] = {}
