"""``Report.from_dict``: data (e.g. parsed JSON) → Report, with JSON-path errors.

The edition named in the data selects the model classes (so user editions work
too).  Cells accept ``None``; counts accept ``int`` (not ``bool``, not a float);
decimals accept ``Decimal``, ``int`` or a decimal string (``"3664.4476"``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

import attrs

from .errors import StructureError

__all__ = ["structure_report", "structure"]


def structure_report(data: Mapping[str, Any]) -> Any:
    from . import editions
    from .model import Report

    if not isinstance(data, Mapping):
        raise StructureError("$", f"expected an object, got {type(data).__name__}")
    edition_name = data.get("edition")
    if not isinstance(edition_name, str):
        raise StructureError("$.edition", "missing or not a string")
    try:
        edition = editions.get(edition_name)
    except Exception:
        raise StructureError("$.edition", f"unknown edition {edition_name!r}") from None
    extra = set(data) - {"edition", "agency", "year", *edition.tables}
    if extra:
        raise StructureError("$", f"unexpected keys {sorted(extra)}")
    agency = data.get("agency")
    if agency is not None and not isinstance(agency, str):
        raise StructureError("$.agency", "expected a string or null")
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise StructureError("$.year", "expected an integer or null")
    tables = {}
    for name, cls in edition.tables.items():
        if name not in data:
            raise StructureError(f"$.{name}", "missing")
        tables[name] = structure(cls, data[name], f"$.{name}")
    return Report(edition=edition_name, agency=agency, year=year, **tables)


def structure(cls: type, data: Any, path: str) -> Any:
    """Build an instance of the attrs class ``cls`` from nested mappings."""
    if not isinstance(data, Mapping):
        raise StructureError(path, f"expected an object, got {type(data).__name__}")
    fields = attrs.fields_dict(cls)
    extra = set(data) - set(fields)
    if extra:
        raise StructureError(path, f"unexpected keys {sorted(extra)}")
    kwargs = {}
    for name, a in fields.items():
        sub = f"{path}.{name}"
        kind = a.metadata.get("kind")
        if kind == "row":
            if name not in data:
                raise StructureError(sub, "missing")
            kwargs[name] = structure(a.default.factory, data[name], sub)  # type: ignore[union-attr]
            continue
        value = data.get(name)
        if value is None:
            kwargs[name] = None
        elif kind == "decimal":
            kwargs[name] = _decimal(value, sub)
        elif kind == "text":
            if not isinstance(value, str):
                raise StructureError(sub, "expected a string or null")
            kwargs[name] = value
        else:
            if not isinstance(value, int) or isinstance(value, bool):
                raise StructureError(sub, f"expected an integer or null, got {value!r}")
            kwargs[name] = value
    return cls(**kwargs)


def _decimal(value: Any, path: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or isinstance(value, float):
        raise StructureError(path, "expected a decimal string (floats lose digits), e.g. \"3664.4476\"")
    if isinstance(value, (int, str)):
        try:
            return Decimal(value)
        except InvalidOperation:
            pass
    raise StructureError(path, f"expected a decimal number, got {value!r}")
