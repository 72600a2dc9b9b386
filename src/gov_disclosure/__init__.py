"""gov-disclosure: Chinese government information-disclosure annual reports as typed data.

>>> import gov_disclosure
>>> report = gov_disclosure.parse(text)              # doctest: +SKIP
>>> report.applications.total.total                  # doctest: +SKIP
145
>>> gov_disclosure.validate(report)                  # doctest: +SKIP
[]
"""

from __future__ import annotations

from . import editions, limits, rules, schema
from .api import check, parse, parse_file, parse_text
from .errors import (
    EditionError,
    GovDisclosureError,
    InputFormatError,
    InputTypeError,
    MissingExtraError,
    ParseError,
    StructureError,
    UnknownEditionError,
)
from .issues import Issue
from .limits import LimitError
from .model import Report, Source
from .records import to_dataframe
from .validate import is_valid, validate

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "parse",
    "parse_text",
    "parse_file",
    "check",
    "Report",
    "Source",
    "to_dataframe",
    "validate",
    "is_valid",
    "Issue",
    "rules",
    "editions",
    "schema",
    "limits",
    "LimitError",
    "GovDisclosureError",
    "ParseError",
    "UnknownEditionError",
    "InputFormatError",
    "MissingExtraError",
    "InputTypeError",
    "EditionError",
    "StructureError",
]
