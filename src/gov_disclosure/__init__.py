"""gov-disclosure: Chinese government information-disclosure annual reports as typed data.

>>> import gov_disclosure
>>> report = gov_disclosure.parse(text)              # doctest: +SKIP
>>> report.applications.total.total                  # doctest: +SKIP
145
>>> gov_disclosure.validate(report)                  # doctest: +SKIP
[]
"""

from __future__ import annotations

from . import editions, rules
from .api import check, parse, parse_file, parse_text
from .errors import (
    GovDisclosureError,
    InputFormatError,
    MissingExtraError,
    ParseError,
    StructureError,
    UnknownEditionError,
)
from .model import Report
from .records import to_dataframe
from .validate import Issue, is_valid, validate

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "parse",
    "parse_text",
    "parse_file",
    "check",
    "Report",
    "to_dataframe",
    "validate",
    "is_valid",
    "Issue",
    "rules",
    "editions",
    "GovDisclosureError",
    "ParseError",
    "UnknownEditionError",
    "InputFormatError",
    "MissingExtraError",
    "StructureError",
]
