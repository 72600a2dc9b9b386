"""Exceptions.  Every error the library raises for bad input is a :class:`ParseError`.

Each :class:`ParseError` has a stable, machine-readable :attr:`~ParseError.code`
(so callers need not parse messages):

==================  ==============================================================
code                meaning
==================  ==============================================================
``input.empty``     the input is empty or only whitespace
``input.type``      the argument is not text, bytes or a binary file (or is a path
                    given to :func:`~gov_disclosure.parse` instead of
                    :func:`~gov_disclosure.parse_file`)
``input.format``    the document format cannot be read (encoding, HTML, DOCX, PDF)
``input.extra``     an optional dependency for the format is not installed
``input.too_large`` the input is beyond a limit of :mod:`gov_disclosure.limits`
``edition.unknown`` no registered template edition matches the text
``tables.none``     the text holds no report table
``table.incomplete`` a table's first cells are missing
``row.short``       a row has fewer numbers than the template's columns
``row.unexpected``  a cell that is neither the expected label nor a number
``number.garbled``  a cell meant to be a number that is not one (``1O``)
``number.extra``    more numbers than the template has cells
``number.split``    a number cut into two cells (``3664 |`` / ``.4476 |``)
``number.not_whole`` a fraction in a column that counts items
``text.truncated``  the text ends inside the tables
``tables.conflicting_copy`` the tables are printed twice with different numbers
==================  ==============================================================
"""

from __future__ import annotations

from typing import Optional, Sequence

__all__ = [
    "GovDisclosureError",
    "ParseError",
    "UnknownEditionError",
    "InputFormatError",
    "MissingExtraError",
    "InputTypeError",
    "EditionError",
    "StructureError",
]


class GovDisclosureError(Exception):
    """Base class of every exception raised by gov_disclosure."""


class ParseError(GovDisclosureError, ValueError):
    """The input could not be read as a report.

    ``line`` and ``column`` (1-based) locate the problem in the source text,
    ``snippet`` is the offending source line, ``expected`` says in words what the
    parser wanted there.  ``str(error)`` gives all of it in one message.
    """

    default_message = "the text could not be read as a government information disclosure annual report"
    #: The code used when none is given (see the module docstring for all codes).
    default_code = "parse"

    def __init__(
        self,
        message: Optional[str] = None,
        *,
        line: Optional[int] = None,
        column: Optional[int] = None,
        snippet: Optional[str] = None,
        expected: Optional[str] = None,
        source: Optional[str] = None,
        code: Optional[str] = None,
    ) -> None:
        self.message = message or self.default_message
        self.code: str = code or self.default_code
        self.line = line
        self.column = column
        self.snippet = snippet
        self.expected = expected
        self.source = source
        super().__init__(self.message)

    def __str__(self) -> str:
        where = ""
        if self.line is not None:
            where = f"line {self.line}" + (f", column {self.column}" if self.column else "") + ": "
        if self.source:
            where = f"{self.source}: {where}"
        text = where + self.message
        if self.snippet is not None:
            text += f"\n    {self.snippet.strip()}"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, code={self.code!r}, line={self.line!r}, column={self.column!r})"
        )

    def with_source(self, source: str) -> "ParseError":
        """The same error, naming the file it came from."""
        self.source = source
        return self


class UnknownEditionError(ParseError):
    """No registered template edition matches the text.

    ``reasons`` maps each edition that was tried to why it did not match.
    """

    default_message = "the text does not follow any known template edition"
    default_code = "edition.unknown"

    def __init__(self, reasons: dict[str, str], message: Optional[str] = None, **kw: object) -> None:
        self.reasons = dict(reasons)
        if message is None:
            tried = "; ".join(f"{name}: {why}" for name, why in self.reasons.items())
            message = (
                f"{self.default_message} (tried {tried}). Reports before 2019 have no fixed "
                "tables and are not supported; pass edition=... to force one."
            )
        super().__init__(message, **kw)  # type: ignore[arg-type]


class InputFormatError(ParseError):
    """The file or document format could not be read (encoding, HTML, DOCX, PDF)."""

    default_message = "the input format could not be read"
    default_code = "input.format"


class MissingExtraError(InputFormatError, ImportError):
    """An optional dependency for a file format is not installed."""

    default_code = "input.extra"

    def __init__(self, extra: str, package: str, what: str) -> None:
        super().__init__(
            f"reading {what} needs the optional dependency {package!r}: "
            f"pip install 'gov-disclosure[{extra}]'"
        )
        self.extra = extra
        self.package = package


class InputTypeError(ParseError, TypeError):
    """The argument is not a report: not text, bytes or a binary file object."""

    default_message = "expected report text (str), bytes, or a binary file object"
    default_code = "input.type"


class EditionError(GovDisclosureError):
    """An edition's grammar and model disagree (a programming error, raised when the
    edition is compiled, never per report)."""


class StructureError(GovDisclosureError, ValueError):
    """Data given to :meth:`Report.from_dict` does not fit the model.

    ``path`` is a JSON path such as ``$.applications.total.research``.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


def _join_expected(items: Sequence[str]) -> str:
    """``['a', 'b', 'c']`` → ``"a, b or c"``."""
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
