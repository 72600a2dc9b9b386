"""Validation: the template's arithmetic, as located issues.

``validate(report)`` runs every enabled rule of :mod:`gov_disclosure.rules` and
returns a list of :class:`Issue`.  It never raises on a well-formed Report: a
report whose numbers do not add up is still a report; validation says where.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence

from attrs import field, frozen

__all__ = ["Issue", "validate", "is_valid"]


@frozen
class Issue:
    """One problem found in a report.

    ``code`` is stable (``applications.balance``, ``applications.row_sum``,
    ``applications.results_sum``, ``appeals.row_sum``, ``value.negative``,
    ``value.missing``, or a user rule's code); ``path`` is the address of the cell
    the issue is about, ``paths`` every cell the rule read; ``line`` is where that
    cell was printed in the source text, when the report was parsed from text.
    """

    code: str
    severity: str
    message: str
    path: str
    expected: Any = None
    actual: Any = None
    line: Optional[int] = None
    paths: tuple[str, ...] = field(default=(), repr=False)

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.severity}: {self.code}: {self.message} [{self.path}]"


def validate(
    report: Any, *, rules: Optional[Iterable[str]] = None, disable: Sequence[str] = ()
) -> list[Issue]:
    """All issues in ``report``, in template order.

    ``rules`` limits the run to the named rule codes; ``disable`` skips some.
    """
    from .rules import enabled_rules

    issues: list[Issue] = []
    for rule in enabled_rules(rules, disable):
        for issue in rule.check(report):
            if issue.line is None and issue.path in report.locations:
                issue = _with_line(issue, report.locations[issue.path][0])
            issues.append(issue)
    return issues


def is_valid(report: Any) -> bool:
    """True when no error-severity issue is found (warnings allowed)."""
    return not any(i.severity == "error" for i in validate(report))


def _with_line(issue: Issue, line: int) -> Issue:
    from attrs import evolve

    return evolve(issue, line=line)
