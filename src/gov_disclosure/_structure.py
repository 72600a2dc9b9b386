"""``Report.from_dict``: data (e.g. parsed JSON) → the Report's fields, with JSON-path errors.

The edition named in the data selects the model classes (so user editions work
too).  Cells accept ``None``; counts accept ``int`` (not ``bool``, not a float);
decimals accept ``Decimal``, ``int`` or a decimal string (``"3664.4476"``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

import attrs

from . import schema
from .errors import StructureError

__all__ = ["structure_report", "structure"]


def structure_report(data: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of :class:`~gov_disclosure.model.Report` for ``data``."""
    if not isinstance(data, Mapping):
        raise StructureError("$", f"expected an object, got {type(data).__name__}")
    edition_name = data.get("edition")
    if not isinstance(edition_name, str):
        raise StructureError("$.edition", "missing or not a string")
    try:
        shape = schema.for_edition(edition_name)
    except KeyError:
        raise StructureError(
            "$.edition", f"unknown edition {edition_name!r}; known: {', '.join(schema.editions())}"
        ) from None
    extra = set(data) - {"edition", "agency", "year", *shape.classes}
    if extra:
        raise StructureError("$", f"unexpected keys {sorted(extra)}")
    agency = data.get("agency")
    if agency is not None and not isinstance(agency, str):
        raise StructureError("$.agency", "expected a string or null")
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise StructureError("$.year", "expected an integer or null")
    fields: dict[str, Any] = {"edition": edition_name, "agency": agency, "year": year}
    for name, cls in shape.classes.items():
        if name not in data:
            raise StructureError(f"$.{name}", "missing")
        fields[name] = structure(cls, data[name], f"$.{name}")
    return fields


def structure(cls: type, data: Any, path: str) -> Any:
    """Build an instance of the model class ``cls`` from nested mappings."""
    if not isinstance(data, Mapping):
        raise StructureError(path, f"expected an object, got {type(data).__name__}")
    names = {a.name for a in attrs.fields(cls)}
    extra = set(data) - names
    if extra:
        raise StructureError(path, f"unexpected keys {sorted(extra)}")
    kwargs: dict[str, Any] = {}
    for name, sub, _label in schema.children(cls):
        if name not in data:
            raise StructureError(f"{path}.{name}", "missing")
        kwargs[name] = structure(sub, data[name], f"{path}.{name}")
    for cell in schema.cells_of(cls):
        kwargs[cell.name] = _value(cell.kind, data.get(cell.name), f"{path}.{cell.name}")
        if cell.unit_field:
            kwargs[cell.unit_field] = _value(schema.TEXT, data.get(cell.unit_field), f"{path}.{cell.unit_field}")
    return cls(**kwargs)


def _value(kind: str, value: Any, path: str) -> Any:
    if value is None:
        return None
    if kind == schema.DECIMAL:
        return _decimal(value, path)
    if kind == schema.TEXT:
        if not isinstance(value, str):
            raise StructureError(path, "expected a string or null")
        return value
    if not isinstance(value, int) or isinstance(value, bool):
        raise StructureError(path, f"expected an integer or null, got {value!r}")
    return value


def _decimal(value: Any, path: str) -> Decimal:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise StructureError(path, f"expected a finite decimal, got {value!r}")
        return value
    if isinstance(value, (bool, float)):
        raise StructureError(path, 'expected a decimal string (floats lose digits), e.g. "3664.4476"')
    if isinstance(value, (int, str)):
        try:
            result = Decimal(value)
        except InvalidOperation:
            pass
        else:
            if result.is_finite():
                return result
    raise StructureError(path, f"expected a decimal number, got {value!r}")
