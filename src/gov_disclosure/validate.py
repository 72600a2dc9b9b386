"""Validation: the template's arithmetic, as located issues.

``validate(report)`` returns the reading issues ``parse`` found (``report.issues``)
and the issues of every enabled rule of :mod:`gov_disclosure.rules`, as a list of
:class:`~gov_disclosure.issues.Issue` in source order (by line, as linters print).
It never raises on a well-formed Report: a report whose numbers do not add up is
still a report; validation says where.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional, Sequence

from attrs import evolve

from .issues import Issue
from .rules import enabled_rules

if TYPE_CHECKING:  # pragma: no cover
    from .model import Report

__all__ = ["Issue", "validate", "is_valid"]


def validate(
    report: "Report", *, rules: Optional[Iterable[str]] = None, disable: Sequence[str] = ()
) -> list[Issue]:
    """All issues in ``report``, in source order (unlocated issues last).

    ``rules`` limits the run to the named rule codes; ``disable`` skips some (rule
    codes or reading-issue codes such as ``value.unit``).  An unknown rule code
    raises ``KeyError`` naming the available ones.
    """
    selected = enabled_rules(rules, disable)
    issues: list[Issue] = [i for i in report.issues if i.code not in disable]
    locations = report.locations
    for rule in selected:
        for issue in rule.check(report):
            if issue.line is None:
                where = locations.get(issue.path)
                if where is not None:
                    issue = evolve(issue, line=where[0], column=where[1])
            issues.append(issue)
    issues.sort(key=Issue.sort_key)
    return issues


def is_valid(report: "Report") -> bool:
    """True when no error-severity issue is found (warnings allowed)."""
    return not any(i.severity == "error" for i in validate(report))
