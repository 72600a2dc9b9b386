"""Hypothesis strategies for reports, public so downstream projects can test with them.

>>> from hypothesis import given
>>> from gov_disclosure.strategies import reports, report_texts
>>> @given(reports(edition="2021"))
... def test_my_pipeline(report):
...     assert my_pipeline(report) ...

``reports(consistent=True)`` builds reports whose every validation rule holds by
construction (disposition rows are drawn, totals and carried-forward numbers are
derived); ``report_texts()`` draws a report and renders it as text in one of the
layouts real pages use, returning ``(report, text)``; ``report_texts(variants=True)``
also prints the label variants real reports print (:func:`label_variants`).

Needs ``hypothesis`` (the ``[test]`` extra).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional, Sequence

from hypothesis import strategies as st

from . import schema as _schema
from .model import Report
from .render import LAYOUTS, VARIANT_CHOICES, Variants, render
from .rules import APPEAL_OUTCOMES, APPLICANT_COLUMNS

__all__ = ["counts", "reports", "report_texts", "label_variants", "MISSING_MARKS", "AGENCIES", "EDITIONS", "SCALES"]

#: Marks reports print for a missing value (each one the grammar reads as a value).
MISSING_MARKS = ("—", "/", "无", "-", "不适用")

#: The built-in editions; ``reports(edition=...)`` takes any registered one.
EDITIONS = ("2021", "2019")

#: Reporting bodies the strategies name (each survives simplified → traditional → simplified).
AGENCIES = (
    "北京市海淀区人民政府",
    "上海市人民政府办公厅",
    "浙江省杭州市西湖区教育局",
    "区信访办",
    "江苏省淮安市人民政府",
    "某县市场监督管理局",
)


def counts(large: bool = True, scale: int = 999) -> st.SearchStrategy[int]:
    """Realistic counts: mostly 0 and small numbers, sometimes up to ``scale``."""
    small = st.integers(min_value=0, max_value=9)
    if not large:
        return small
    return st.one_of(st.just(0), small, small, st.integers(min_value=0, max_value=scale))


#: Sizes of reporting bodies: a township office, a county bureau, a city, a ministry.
SCALES = (9, 99, 999, 20000)


def _decimal(max_value: int = 100000) -> st.SearchStrategy[Decimal]:
    return st.builds(
        lambda whole, frac, places: Decimal(whole) + (Decimal(frac) / Decimal(10) ** places if places else 0),
        st.integers(0, max_value),
        st.integers(0, 9999),
        st.sampled_from([0, 0, 1, 2, 4]),
    ).map(lambda d: d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize())


_ENDS = ("new_received", "carried_over", "total", "carried_forward")


@st.composite
def _row(draw: Any, cls: type, values: st.SearchStrategy[int], money: int) -> Any:
    """Any row of table 二: every cell drawn by its kind."""
    kwargs: dict[str, Any] = {}
    for cell in _schema.cells_of(cls):
        if cell.kind == _schema.SIGNED:
            kwargs[cell.name] = draw(st.integers(-500, 500))
        elif cell.kind == _schema.DECIMAL:
            kwargs[cell.name] = draw(_decimal(money if cell.unit_field else 100000))
            if cell.unit_field:
                kwargs[cell.unit_field] = draw(st.sampled_from([None, "元", "万元"]))
        else:
            kwargs[cell.name] = draw(values)
    return cls(**kwargs)


@st.composite
def _applicant_row(draw: Any, cls: type, values: st.SearchStrategy[int]) -> Any:
    parts = {c: draw(values) for c in APPLICANT_COLUMNS}
    return cls(**parts, total=sum(parts.values()))


def _leaves(obj: Any) -> list[Any]:
    subs = list(_schema.children(type(obj)))
    if not subs:
        return [obj]
    return [leaf for name, _, _ in subs for leaf in _leaves(getattr(obj, name))]


def _group(draw: Any, cls: type, values: st.SearchStrategy[int]) -> Any:
    if _schema.is_row_class(cls):
        return draw(_applicant_row(cls, values))
    return cls(**{name: _group(draw, sub, values) for name, sub, _ in _schema.children(cls)})


@st.composite
def _applications(draw: Any, cls: type, large: bool, scale: int = 999) -> Any:
    values = counts(large, scale)
    kwargs: dict[str, Any] = {}
    row_cls: Optional[type] = None
    for name, sub, _ in _schema.children(cls):
        if name in _ENDS:
            row_cls = sub
            continue
        kwargs[name] = _group(draw, sub, values)
    assert row_cls is not None
    leaves = [leaf for v in kwargs.values() for leaf in _leaves(v)]
    total = {c: sum(getattr(r, c) for r in leaves) for c in APPLICANT_COLUMNS}
    small = counts(False)
    forward = {c: draw(small) for c in APPLICANT_COLUMNS}
    over = {c: min(draw(small), total[c] + forward[c]) for c in APPLICANT_COLUMNS}
    new = {c: total[c] + forward[c] - over[c] for c in APPLICANT_COLUMNS}

    def row(d: dict[str, int]) -> Any:
        return row_cls(**d, total=sum(d.values()))

    return cls(**kwargs, total=row(total), new_received=row(new), carried_over=row(over), carried_forward=row(forward))


@st.composite
def _appeals(draw: Any, cls: type, large: bool, scale: int = 999) -> Any:
    values = counts(large, max(9, scale // 100))
    groups = {}
    for name, sub, _ in _schema.children(cls):
        parts = {n: draw(values) for n in APPEAL_OUTCOMES}
        groups[name] = sub(**parts, total=sum(parts.values()))
    return cls(**groups)


def _active(cls: type, large: bool, scale: int = 999) -> st.SearchStrategy[Any]:
    values = counts(large, scale * 10)
    return st.fixed_dictionaries(
        {name: _row(sub, values, 10**8) for name, sub, _ in _schema.children(cls)}
    ).map(lambda kw: cls(**kw))


@st.composite
def _inconsistent(draw: Any, edition: str, large: bool) -> Report:
    """Any values at all, including missing cells: rules may or may not hold."""
    base: Report = draw(reports(edition=edition, consistent=True, large=large))  # type: ignore[no-untyped-call]
    data = base.to_dict()
    values = st.one_of(counts(large), st.none())

    def scramble(node: dict[str, Any]) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                scramble(value)
            elif isinstance(value, int) and draw(st.integers(0, 3)) == 0:
                node[key] = draw(values)

    for table in ("applications", "appeals"):
        scramble(data[table])
    return Report.from_dict(data)


@st.composite
def reports(
    draw: Any, edition: Optional[str] = None, consistent: bool = True, large: bool = True
) -> Report:
    """Reports of ``edition`` (``"2021"``, ``"2019"``, any registered edition, or None
    for either built-in one).

    With ``consistent=True`` every validation rule holds; with ``False`` some
    cells of tables 三 and 四 are replaced by arbitrary numbers or left missing.
    ``large=False`` keeps every count below 10.
    """
    ed = edition or draw(st.sampled_from(EDITIONS))
    if not consistent:
        scrambled: Report = draw(_inconsistent(ed, large))
        return scrambled
    classes = _schema.for_edition(ed).classes
    scale = draw(st.sampled_from(SCALES))
    years = st.integers(2019, 2020) if ed == "2019" else st.integers(2021, 2026)
    year = draw(st.one_of(st.none(), years))
    agency = draw(st.one_of(st.none(), st.sampled_from(AGENCIES)))
    return Report(
        edition=ed,
        agency=agency,
        year=year,
        active_disclosure=draw(_active(classes["active_disclosure"], large, scale)),
        applications=draw(_applications(classes["applications"], large, scale)),
        appeals=draw(_appeals(classes["appeals"], large, scale)),
    )


def label_variants() -> st.SearchStrategy[Variants]:
    """:class:`~gov_disclosure.render.Variants`: any mix of the label variants real
    reports print (sub-row numbering ``1.`` ``1、`` ``(1)`` ``（1）`` or none, quote
    styles, 反覆, missing captions and headings, truncated, spaced and wrapped
    headers, 规范性文件 / 行政规范性文件, a web page's date line), each field drawn
    from :data:`~gov_disclosure.render.VARIANT_CHOICES`."""
    return st.fixed_dictionaries({k: st.sampled_from(v) for k, v in VARIANT_CHOICES.items()}).map(
        lambda kw: Variants(**kw)
    )


@st.composite
def report_texts(
    draw: Any,
    edition: Optional[str] = None,
    layouts: Sequence[str] = LAYOUTS,
    traditional: Optional[bool] = None,
    fullwidth: Optional[bool] = None,
    consistent: bool = True,
    variants: Optional[bool] = False,
) -> tuple[Report, str]:
    """``(report, text)``: a report and its rendering in one of ``layouts``.

    ``traditional`` / ``fullwidth`` None means "either"; traditional text uses one
    of OpenCC's ``s2t``, ``s2tw`` and ``s2twp`` (Taiwan phrasing) converters.
    ``variants=True`` prints label variants (:func:`label_variants`) and a
    missing value as any of :data:`MISSING_MARKS`; None means "either"; False
    (the default) prints the canonical labels.
    """
    report = draw(reports(edition=edition, consistent=consistent))
    layout = draw(st.sampled_from(list(layouts)))
    trad = draw(st.booleans()) if traditional is None else traditional
    config: Any = draw(st.sampled_from(["s2t", "s2tw", "s2twp"])) if trad else False
    wide = draw(st.booleans()) if fullwidth is None else fullwidth
    vary = draw(st.booleans()) if variants is None else variants
    if not vary:
        return report, render(report, layout, traditional=config, fullwidth=wide)
    chosen = draw(label_variants())
    missing = draw(st.sampled_from(MISSING_MARKS))
    return report, render(report, layout, traditional=config, fullwidth=wide, variants=chosen, missing=missing)
