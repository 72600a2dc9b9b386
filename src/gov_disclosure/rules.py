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

from attrs import frozen

from . import schema as _schema
from .issues import READING_CODES, Issue, Severity

__all__ = ["Rule", "rule", "available", "get", "disable", "enable", "unregister", "APPLICANT_COLUMNS"]

Check = Callable[[Any], Iterable[Issue]]


@frozen
class Rule:
    """A registered rule: its stable ``code``, default ``severity`` and check function."""

    code: str
    severity: Severity
    check: Check
    description: str

    def __call__(self, report: Any) -> list[Issue]:
        return list(self.check(report))


_rules: dict[str, Rule] = {}
_disabled: set[str] = set()


def rule(code: str, *, severity: Severity = "error") -> Callable[[Check], Check]:
    """Register ``func`` as the rule ``code`` (its docstring is the description)."""
    if severity not in ("error", "warning", "info"):
        raise ValueError(f"severity must be 'error', 'warning' or 'info', not {severity!r}")

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
    """The rules a :func:`~gov_disclosure.validate` call runs.

    Raises ``KeyError`` (naming the available codes) for a code in ``only`` or
    ``skip`` that is not registered, so a typo never silently disables a check.
    """
    wanted = list(only) if only is not None else None
    if isinstance(only, str) or isinstance(skip, str):
        raise TypeError("rules= and disable= take a list of codes, e.g. rules=['applications.balance']")
    for code in [*(wanted or ()), *skip]:
        if code not in READING_CODES:
            get(code)
    return [
        r
        for code, r in _rules.items()
        if code not in _disabled and code not in skip and (wanted is None or code in wanted)
    ]


# --- helpers ------------------------------------------------------------------

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")
APPEAL_OUTCOMES = ("upheld", "corrected", "other", "pending")
_ENDS = ("new_received", "carried_over", "total", "carried_forward")


def _issue(code: str, message: str, path: str, expected: Any, actual: Any, paths: Sequence[str] = ()) -> Issue:
    return Issue(code, get(code).severity, message, path, expected, actual, paths=tuple(paths))


def _terms(report: Any, paths: Sequence[str], name: Callable[[str], str]) -> str:
    return " + ".join(f"{name(p)} ({report.get(p)})" for p in paths)


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


def _sum_rule(report: Any, code: str, row: _schema.Row, parts: Sequence[str], where: str) -> Optional[Issue]:
    obj = row.get(getattr(report, row.table))
    if _row_sum(obj, parts):
        return None
    shape = report.schema
    target = f"{row.address}.total"
    paths = [f"{row.address}.{c}" for c in parts]
    expected = sum(getattr(obj, c) for c in parts)
    actual = obj.total

    def column(path: str) -> str:
        return str(shape.cell(path).label)

    message = (
        f"{where}: {_terms(report, paths, column)} = {expected}, but {column(target)} is {actual}"
    )
    return _issue(code, message, target, expected, actual, (target, *paths))


# --- the rules ---------------------------------------------------------------------


@rule("applications.balance")
def balance(report: Any) -> Iterator[Issue]:
    """Table 三, per column: 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理 (the template's 勾稽 note)."""
    apps = report.applications
    shape = report.schema

    def row_label(path: str) -> str:
        return str(shape.cell(path).row_label)

    for column in (*APPLICANT_COLUMNS, "total"):
        values = [getattr(getattr(apps, r), column) for r in _ENDS]
        if None in values:
            continue
        new, over, total, forward = values
        if new + over != total + forward:
            left = [f"applications.new_received.{column}", f"applications.carried_over.{column}"]
            right = [f"applications.total.{column}", f"applications.carried_forward.{column}"]
            col = shape.cell(right[0]).label
            message = (
                f"table 三, column {col}: 第一项加第二项之和 {_terms(report, left, row_label)} = {new + over} "
                f"should equal 第三项加第四项之和 {_terms(report, right, row_label)} = {total + forward}"
            )
            yield _issue("applications.balance", message, right[0], new + over - forward, total, (*left, *right))


@rule("applications.row_sum")
def applications_row_sum(report: Any) -> Iterator[Issue]:
    """Table 三, per row: the six applicant columns add up to 总计."""
    for row in report.schema.table("applications").rows:
        issue = _sum_rule(report, "applications.row_sum", row, APPLICANT_COLUMNS,
                          f"table 三, row {row.label}: the six applicant columns")
        if issue:
            yield issue


@rule("applications.results_sum")
def results_sum(report: Any) -> Iterator[Issue]:
    """Table 三, per column: （七）总计 equals the sum of the result rows （一） to （六）."""
    shape = report.schema
    apps = report.applications
    results = [r for r in shape.table("applications").rows if r.chain[0] not in _ENDS]
    objects = [r.get(apps) for r in results]
    total_row = apps.total
    for column in (*APPLICANT_COLUMNS, "total"):
        values = [getattr(obj, column) for obj in objects]
        actual = getattr(total_row, column)
        if actual is None or None in values:
            continue
        expected = sum(values)
        if expected != actual:
            target = f"applications.total.{column}"
            parts = [f"{r.address}.{column}" for r in results]
            col = shape.cell(target).label
            message = (
                f"table 三, column {col}: the result rows （一） to （六） add up to {expected}, "
                f"but （七）总计 is {actual}"
            )
            yield _issue("applications.results_sum", message, target, expected, actual, (target, *parts))


@rule("appeals.row_sum")
def appeals_row_sum(report: Any) -> Iterator[Issue]:
    """Table 四, per group: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计."""
    for row in report.schema.table("appeals").rows:
        issue = _sum_rule(report, "appeals.row_sum", row, APPEAL_OUTCOMES, f"table 四, {row.label}")
        if issue:
            yield issue


@rule("value.negative")
def negative(report: Any) -> Iterator[Issue]:
    """A count below zero (the signed 2019 本年增/减 columns are exempt)."""
    shape = report.schema
    for ref in shape.cells:
        if ref.kind in (_schema.COUNT, _schema.DECIMAL):
            value = ref.getter(report)
            if value is not None and value < 0:
                numeral = shape.table(ref.table).numeral
                yield _issue("value.negative", f"table {numeral}, {shape.label(ref.address)}: {value} is below zero",
                             ref.address, None, value)


@rule("value.missing", severity="warning")
def missing(report: Any) -> Iterator[Issue]:
    """A cell of the template left empty or marked —, /, 无 (rules that need it are skipped)."""
    shape = report.schema
    unread = {i.path for i in report.issues}
    printed_map = report.printed
    for ref in shape.cells:
        if ref.kind == _schema.TEXT or ref.getter(report) is not None:
            continue
        row = ref.address.rpartition(".")[0]
        if unread and (ref.address in unread or row in unread or ref.table in unread):
            continue  # a reading issue says why the cell is empty
        printed = printed_map.get(ref.address)
        shown = f"printed {printed!r}" if printed else "empty"
        numeral = shape.table(ref.table).numeral
        issue = Issue(
            "value.missing", get("value.missing").severity,
            f"table {numeral}, {shape.label(ref.address)}: no value ({shown}); rules using it were skipped",
            ref.address, None, None, printed=printed if printed is not None else None,
        )
        yield issue
