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

``parse(render(r, layout=...)) == r`` for every layout (a property test checks it).
:func:`table_rows` gives the tables as rows of cells, for other renderers
(HTML, DOCX, PDF).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from . import editions as _editions
from . import schema as _schema

__all__ = ["render", "table_rows", "table_two_blocks", "LAYOUTS", "format_value", "row_values", "label"]

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


def _values(row: Any) -> list[str]:
    return [format_value(value, unit) for value, unit in row_values(row)]


def label(obj: Any, name: str) -> str:
    """The label the template prints for field ``name`` of ``obj``."""
    return _schema.field_label(type(obj), name)


def table_rows(report: Any) -> dict[str, list[list[str]]]:
    """The three tables as rows of cell texts (captions, headers and data rows).

    Keys are ``"active_disclosure"``, ``"applications"``, ``"appeals"``.  In table
    三 a group caption (``三、本年度办理结果``, ``（三）不予公开`` …) is the first cell
    of its group's first row, as in the official template's merged cells.  Table
    二 follows the edition's grammar (:func:`table_two_blocks`), so a registered
    edition renders without changes here.
    """
    two: list[list[str]] = []
    ad = report.active_disclosure
    for block in table_two_blocks(report.edition):
        two.append([block.caption])
        two.append([block.label_header, *block.headers])
        for name in block.rows:
            two.append([label(ad, name), *_values(getattr(ad, name))])

    three: list[list[str]] = [list(r) for r in APPLICANT_HEADER]
    apps = report.applications
    for name, _cls, caption in _schema.children(type(apps)):
        value = getattr(apps, name)
        subs = list(_schema.children(type(value)))
        if subs:
            for i, (sub_name, _sub, sub_label) in enumerate(subs):
                group = [caption] if i == 0 else []
                three.append([*group, sub_label, *_values(getattr(value, sub_name))])
        else:
            prefix = ["三、本年度办理结果"] if name == "granted" else []
            three.append([*prefix, caption, *_values(value)])

    four: list[list[str]] = [list(r) for r in APPEALS_HEADER]
    numbers: list[str] = []
    for name, _cls, _label in _schema.children(type(report.appeals)):
        numbers.extend(_values(getattr(report.appeals, name)))
    four.append(numbers)
    return {"active_disclosure": two, "applications": three, "appeals": four}


def _narrative(report: Any) -> dict[str, list[str]]:
    year = report.year
    title = f"{report.agency or ''}{f'{year}年' if year else ''}政府信息公开工作年度报告"
    front = [title] if (report.agency or year) else []
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
        "before_applications": [SECTIONS[2]],
        "before_appeals": [SECTIONS[3]],
        "back": [
            SECTIONS[4],
            "（一）存在的主要问题：公开内容的深度和广度有待提升。",
            "（二）改进情况：加强培训，提升工作人员业务能力。",
            SECTIONS[5],
            "本年度未收取信息处理费。",
        ],
    }


def _layout(rows: list[list[str]], layout: str) -> list[str]:
    out: list[str] = []
    for row in rows:
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
) -> str:
    """The report as text in ``layout`` (see :data:`LAYOUTS`).

    ``traditional`` converts the whole text to traditional script (OpenCC ``s2t``;
    pass another OpenCC configuration name, e.g. ``"s2twp"``, for Taiwan phrasing),
    ``fullwidth`` prints digits full-width, ``narrative`` adds the title, preamble
    and the prose sections around the tables.
    """
    tables = table_rows(report)
    text_parts = _narrative(report) if narrative else {}
    lines: list[str] = []
    lines += text_parts.get("front", [])
    lines += _layout(tables["active_disclosure"], layout)
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
    return _CONVERTERS[config].convert(text)


_CONVERTERS: dict[str, Any] = {}
