"""The :class:`Issue`: one finding about a report, from reading or from validation.

Reading (``parse``) and validation (``validate``) report problems the same way, so
a caller handles one shape: a stable ``code``, a ``severity``, the address of the
cell it is about and where that cell was printed.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from attrs import field, frozen

__all__ = ["Issue", "Severity", "SEVERITIES", "READING_CODES"]

#: Codes of the issues reading itself reports (``report.issues``), as opposed to
#: validation rules.  ``validate(disable=[...])`` accepts them too.
READING_CODES: frozenset[str] = frozenset(
    {
        "value.unit",
        "value.inferred",
        "value.low_confidence",
        "parse.recovered",
        "parse.row_missing",
        "parse.row_unreadable",
        "parse.table_missing",
        "parse.conflicting_copy",
        "text.may_be_truncated",
    }
)

#: How bad an issue is: ``error`` (a number is wrong or could not be read),
#: ``warning`` (a number is missing or was converted) or ``info``.
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


def _severity(instance: Any, attribute: Any, value: str) -> None:
    if value not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, not {value!r}")


@frozen
class Issue:
    """One problem found in a report.

    ``code``
        stable, e.g. ``applications.balance``, ``applications.row_sum``,
        ``applications.results_sum``, ``appeals.row_sum``, ``value.negative``,
        ``value.missing``, ``value.unit``, or a user rule's code.
    ``path``
        the address of the cell the issue is about (``applications.total.research``);
        ``paths`` every cell the rule compared.
    ``actual``
        always the value the report holds at ``path`` (``None`` for a missing cell).
    ``expected``
        the value the rule derives for ``path`` from the other cells (a row's sum,
        the balance), or ``None`` when the rule has no single value to offer
        (a negative count, a missing cell).
    ``printed``
        the text printed at ``path`` when it matters (a blank mark, a unit), else None.
    ``line``, ``column``
        where that cell was printed in the source text (1-based), when known.
    """

    code: str
    severity: Severity = field(validator=_severity)
    message: str
    path: str
    expected: Any = None
    actual: Any = None
    line: Optional[int] = None
    column: Optional[int] = field(default=None, repr=False)
    paths: tuple[str, ...] = field(default=(), repr=False)
    printed: Optional[str] = field(default=None, repr=False)

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.severity}: {self.code}: {self.message} [{self.path}]"

    def sort_key(self) -> tuple[int, int]:
        """Source order, as linters print: by line, then column; unlocated issues last."""
        return (self.line if self.line is not None else 1 << 30, self.column or 0)
