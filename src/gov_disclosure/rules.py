"""The validation rules, registered in one place.

Each rule is a small function ``report -> iterable of Issue`` with a stable code
and a docstring.  List them with :func:`available`, switch one off with
:func:`disable` (or ``validate(report, disable=[...])``), add your own with the
:func:`rule` decorator::

    from gov_disclosure import rules
    from gov_disclosure.validate import Issue

    @rules.rule("appeals.litigation_vs_review", severity="warning")
    def more_suits_than_reviews(report):
        "复议后起诉 should not exceed 行政复议 in most reports."
        ...

A rule only judges cells that are present: where an input is missing (blank,
``—``, ``/``), the rule is skipped and ``value.missing`` reports the cell once.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

import attrs
from attrs import frozen

from .validate import Issue

__all__ = ["Rule", "rule", "available", "get", "disable", "enable", "enabled_rules", "unregister"]

Check = Callable[[Any], Iterable[Issue]]


@frozen
class Rule:
    """A registered rule: its stable ``code``, default ``severity`` and check function."""

    code: str
    severity: str
    check: Check
    description: str

    def __call__(self, report: Any) -> list[Issue]:
        return list(self.check(report))


_rules: dict[str, Rule] = {}
_disabled: set[str] = set()


def rule(code: str, *, severity: str = "error") -> Callable[[Check], Check]:
    """Register ``func`` as the rule ``code`` (its docstring is the description)."""
    if severity not in ("error", "warning"):
        raise ValueError("severity must be 'error' or 'warning'")

    def register(func: Check) -> Check:
        _rules[code] = Rule(code, severity, func, (func.__doc__ or "").strip())
        return func

    return register


def available() -> list[Rule]:
    """Every registered rule, in registration order."""
    return list(_rules.values())


def get(code: str) -> Rule:
    """The rule registered under ``code``."""
    try:
        return _rules[code]
    except KeyError:
        raise KeyError(f"no rule {code!r}; available: {', '.join(_rules)}") from None


def disable(code: str) -> None:
    """Skip rule ``code`` in every later :func:`~gov_disclosure.validate` call."""
    get(code)
    _disabled.add(code)


def enable(code: str) -> None:
    """Undo :func:`disable`."""
    _disabled.discard(code)


def unregister(code: str) -> None:
    """Remove a rule (for user rules; the built-in codes are part of the contract)."""
    _rules.pop(code, None)
    _disabled.discard(code)


def enabled_rules(only: Optional[Iterable[str]] = None, skip: Sequence[str] = ()) -> list[Rule]:
    wanted = set(only) if only is not None else None
    return [
        r
        for code, r in _rules.items()
        if code not in _disabled and code not in skip and (wanted is None or code in wanted)
    ]


# --- helpers ------------------------------------------------------------------

_TABLE = {"active_disclosure": "二", "applications": "三", "appeals": "四"}


def _label(report: Any, path: str) -> str:
    """The printed labels along ``path`` (e.g. ``（三）不予公开 3.危及“三安全一稳定”``)."""
    table, *rest = path.split(".")
    obj: Any = getattr(report, table)
    labels = []
    for part in rest:
        a = attrs.fields_dict(type(obj))[part]
        labels.append(a.metadata.get("label", part))
        obj = getattr(obj, part)
    return " ".join(labels)


def _fmt(report: Any, parts: Sequence[str]) -> str:
    return " + ".join(f"{_label(report, p).split(' ')[-1]} ({report.get(p)})" for p in parts)


_PLANS: dict[type, tuple[list[tuple[str, tuple[str, ...]]], list[tuple[str, tuple[str, ...], str, str]]]] = {}


def _plan(cls: type) -> tuple[list[tuple[str, tuple[str, ...]]], list[tuple[str, tuple[str, ...], str, str]]]:
    """For a table class: its leaf rows ``(address suffix, attribute chain)`` and its
    cells ``(address suffix, chain to the row, field name, kind)``; built once per class."""
    try:
        return _PLANS[cls]
    except KeyError:
        pass
    rows: list[tuple[str, tuple[str, ...]]] = []
    cells: list[tuple[str, tuple[str, ...], str, str]] = []

    def walk(c: type, chain: tuple[str, ...]) -> None:
        fields = attrs.fields(c)
        if all(a.metadata.get("kind") != "row" for a in fields):
            rows.append((".".join(chain), chain))
        for a in fields:
            if a.metadata.get("kind") == "row":
                walk(a.default.factory, (*chain, a.name))
            else:
                cells.append((".".join((*chain, a.name)), chain, a.name, a.metadata.get("kind", "count")))

    walk(cls, ())
    _PLANS[cls] = (rows, cells)
    return rows, cells


def _follow(obj: Any, chain: tuple[str, ...]) -> Any:
    for name in chain:
        obj = getattr(obj, name)
    return obj


def _rows(table: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """Every leaf row (an object of cells) below ``table``, with its address."""
    for suffix, chain in _plan(type(table))[0]:
        yield f"{prefix}.{suffix}", _follow(table, chain)


def _present(report: Any, paths: Sequence[str]) -> bool:
    return all(report.get(p) is not None for p in paths)


def _sum_issue(report: Any, code: str, target: str, parts: Sequence[str], what: str) -> Optional[Issue]:
    if not _present(report, [target, *parts]):
        return None
    expected = sum(report.get(p) for p in parts)
    actual = report.get(target)
    if expected == actual:
        return None
    message = f"{what}: {_fmt(report, parts)} = {expected}, but {_label(report, target)} is {actual}"
    return Issue(code, get(code).severity, message, target, expected, actual, paths=(target, *parts))


APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")
_ENDS = ("new_received", "carried_over", "total", "carried_forward")


def _row_sum(row: Any, parts: Sequence[str], target: str = "total") -> bool:
    """True if the row's parts add up to its target, or a value is missing."""
    total = getattr(row, target)
    acc = 0
    for name in parts:
        v = getattr(row, name)
        if v is None:
            return True
        acc += v
    return total is None or acc == total


# --- the rules ---------------------------------------------------------------------


@rule("applications.balance")
def balance(report: Any) -> Iterator[Issue]:
    """Table 三, per column: 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理 (the template's 勾稽 note)."""
    apps = report.applications
    for column in (*APPLICANT_COLUMNS, "total"):
        values = [getattr(getattr(apps, r), column) for r in _ENDS]
        if None in values:
            continue
        a = values[0] + values[1]
        b = values[2] + values[3]
        if a != b:
            left = [f"applications.new_received.{column}", f"applications.carried_over.{column}"]
            right = [f"applications.total.{column}", f"applications.carried_forward.{column}"]
            col = _label(report, right[0]).split(" ")[-1]
            message = (
                f"table 三, column {col}: 第一项加第二项之和 {_fmt(report, left)} = {a} "
                f"should equal 第三项加第四项之和 {_fmt(report, right)} = {b}"
            )
            yield Issue("applications.balance", get("applications.balance").severity, message, right[0],
                        a, b, paths=(*left, *right))


@rule("applications.row_sum")
def applications_row_sum(report: Any) -> Iterator[Issue]:
    """Table 三, per row: the six applicant columns add up to 总计."""
    for path, row in _rows(report.applications, "applications"):
        if _row_sum(row, APPLICANT_COLUMNS):
            continue
        parts = [f"{path}.{c}" for c in APPLICANT_COLUMNS]
        issue = _sum_issue(report, "applications.row_sum", f"{path}.total", parts,
                           f"table 三, row {_label(report, path)}: the six applicant columns")
        if issue:
            yield issue


@rule("applications.results_sum")
def results_sum(report: Any) -> Iterator[Issue]:
    """Table 三, per column: （七）总计 equals the sum of the result rows （一） to （六）."""
    results = [(p, row) for p, row in _rows(report.applications, "applications") if p.split(".")[1] not in _ENDS]
    total_row = report.applications.total
    for column in (*APPLICANT_COLUMNS, "total"):
        values = [getattr(row, column) for _, row in results]
        actual = getattr(total_row, column)
        if actual is None or None in values:
            continue
        expected = sum(values)
        if expected != actual:
            target = f"applications.total.{column}"
            parts = [f"{p}.{column}" for p, _ in results]
            col = _label(report, target).split(" ")[-1]
            message = (
                f"table 三, column {col}: the result rows （一） to （六） add up to {expected}, "
                f"but （七）总计 is {actual}"
            )
            yield Issue("applications.results_sum", get("applications.results_sum").severity, message, target,
                        expected, actual, paths=(target, *parts))


@rule("appeals.row_sum")
def appeals_row_sum(report: Any) -> Iterator[Issue]:
    """Table 四, per group: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计."""
    for path, row in _rows(report.appeals, "appeals"):
        if _row_sum(row, ("upheld", "corrected", "other", "pending")):
            continue
        parts = [f"{path}.{c}" for c in ("upheld", "corrected", "other", "pending")]
        issue = _sum_issue(report, "appeals.row_sum", f"{path}.total", parts,
                           f"table 四, {_label(report, path)}")
        if issue:
            yield issue


def _cells(report: Any) -> Iterator[tuple[str, str, Any, str]]:
    """``(table, address suffix, value, kind)`` of every cell (addresses built on demand)."""
    for table in _TABLE:
        obj = getattr(report, table)
        for suffix, chain, name, kind in _plan(type(obj))[1]:
            row = obj
            for part in chain:
                row = getattr(row, part)
            yield table, suffix, getattr(row, name), kind


@rule("value.negative")
def negative(report: Any) -> Iterator[Issue]:
    """A count below zero (the signed 2019 本年增/减 columns are exempt)."""
    for table, suffix, value, kind in _cells(report):
        if value is not None and kind in ("count", "decimal") and value < 0:
            path = f"{table}.{suffix}"
            yield Issue("value.negative", get("value.negative").severity,
                        f"table {_TABLE[table]}, {_label(report, path)}: {value} is below zero", path, 0, value)


@rule("value.missing", severity="warning")
def missing(report: Any) -> Iterator[Issue]:
    """A cell of the template left empty or marked —, /, 无 (rules that need it are skipped)."""
    for table, suffix, value, kind in _cells(report):
        if value is None and kind != "text":
            path = f"{table}.{suffix}"
            printed = report.printed.get(path, "")
            shown = f"printed {printed!r}" if printed else "empty"
            yield Issue("value.missing", get("value.missing").severity,
                        f"table {_TABLE[table]}, {_label(report, path)}: no value ({shown}); rules using it were skipped",
                        path, None, printed or None)
