"""Exceptions.  Every error the library raises for bad input is a :class:`ParseError`."""

from __future__ import annotations

from typing import Optional, Sequence

__all__ = [
    "GovDisclosureError",
    "ParseError",
    "UnknownEditionError",
    "InputFormatError",
    "MissingExtraError",
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

    def __init__(
        self,
        message: Optional[str] = None,
        *,
        line: Optional[int] = None,
        column: Optional[int] = None,
        snippet: Optional[str] = None,
        expected: Optional[str] = None,
        source: Optional[str] = None,
    ) -> None:
        self.message = message or self.default_message
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
        return f"{type(self).__name__}({self.message!r}, line={self.line!r}, column={self.column!r})"

    def with_source(self, source: str) -> "ParseError":
        """The same error, naming the file it came from."""
        self.source = source
        return self


class UnknownEditionError(ParseError):
    """No registered template edition matches the text.

    ``reasons`` maps each edition that was tried to why it did not match.
    """

    default_message = "the text does not follow any known template edition"

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


class MissingExtraError(InputFormatError, ImportError):
    """An optional dependency for a file format is not installed."""

    def __init__(self, extra: str, package: str, what: str) -> None:
        super().__init__(
            f"reading {what} needs the optional dependency {package!r}: "
            f"pip install 'gov-disclosure[{extra}]'"
        )
        self.extra = extra
        self.package = package


class StructureError(GovDisclosureError, ValueError):
    """Data given to :meth:`Report.from_dict` does not fit the model.

    ``path`` is a JSON path such as ``$.applications.total.research``.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


def join_expected(items: Sequence[str]) -> str:
    """``['a', 'b', 'c']`` → ``"a, b or c"``."""
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
