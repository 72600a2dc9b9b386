"""The typed data model: frozen attrs classes, one per table row shape.

Every cell has a stable address (``applications.denied.state_secret.natural_person``),
the same in :meth:`Report.to_dict`, the JSON output, the records output and the
``path`` of every validation issue.  Each field carries the label the template
prints for it in ``metadata["label"]``, so messages can name rows and columns the
way a reader of the report sees them.

Values are ``int`` (counts; the 2019 ``change`` columns are signed), ``Decimal``
(money, never float) or ``None`` for a cell the report leaves blank or marks
``—``/``/``/``无`` (the printed text is kept in :attr:`Report.printed`).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Optional, Protocol, Union

import attrs
from attrs import field, frozen

from . import schema as _schema
from .issues import Issue
from .schema import count, decimal, row, signed, text

if TYPE_CHECKING:  # pragma: no cover
    from .schema import Schema

__all__ = [
    "ApplicantCounts",
    "AppealCounts",
    "Appeals",
    "Applications",
    "Applications2019",
    "Denied",
    "Unable",
    "NotProcessed",
    "OtherProcessing2021",
    "DocumentCounts",
    "Decisions",
    "FeeAmount",
    "ActiveDisclosure2021",
    "Publications",
    "ItemChanges",
    "FeeItems",
    "Procurement",
    "ActiveDisclosure2019",
    "ActiveDisclosure",
    "AnyApplications",
    "Report",
    "Source",
    "count",
    "signed",
    "decimal",
    "text",
    "row",
]

Count = Optional[int]


# --- table 三: applicant columns -------------------------------------------


@frozen
class ApplicantCounts:
    """One row of table 三: the six applicant columns and their 总计."""

    natural_person: Count = count("自然人")
    commercial: Count = count("商业企业")
    research: Count = count("科研机构")
    social_welfare: Count = count("社会公益组织")
    legal_services: Count = count("法律服务机构")
    other_org: Count = count("其他")
    total: Count = count("总计")


@frozen
class Denied:
    """（三）不予公开, eight reasons."""

    state_secret: ApplicantCounts = row(ApplicantCounts, "1.属于国家秘密")
    prohibited_by_law: ApplicantCounts = row(ApplicantCounts, "2.其他法律行政法规禁止公开")
    security_stability: ApplicantCounts = row(ApplicantCounts, "3.危及“三安全一稳定”")
    third_party_rights: ApplicantCounts = row(ApplicantCounts, "4.保护第三方合法权益")
    internal_affairs: ApplicantCounts = row(ApplicantCounts, "5.属于三类内部事务信息")
    process_info: ApplicantCounts = row(ApplicantCounts, "6.属于四类过程性信息")
    enforcement_files: ApplicantCounts = row(ApplicantCounts, "7.属于行政执法案卷")
    administrative_query: ApplicantCounts = row(ApplicantCounts, "8.属于行政查询事项")


@frozen
class Unable:
    """（四）无法提供, three reasons."""

    not_held: ApplicantCounts = row(ApplicantCounts, "1.本机关不掌握相关政府信息")
    needs_creation: ApplicantCounts = row(ApplicantCounts, "2.没有现成信息需要另行制作")
    unclear: ApplicantCounts = row(ApplicantCounts, "3.补正后申请内容仍不明确")


@frozen
class NotProcessed:
    """（五）不予处理, five reasons."""

    complaint: ApplicantCounts = row(ApplicantCounts, "1.信访举报投诉类申请")
    duplicate: ApplicantCounts = row(ApplicantCounts, "2.重复申请")
    publication: ApplicantCounts = row(ApplicantCounts, "3.要求提供公开出版物")
    excessive: ApplicantCounts = row(ApplicantCounts, "4.无正当理由大量反复申请")
    confirmation: ApplicantCounts = row(ApplicantCounts, "5.要求行政机关确认或重新出具已获取信息")


@frozen
class OtherProcessing2021:
    """（六）其他处理 in the 2021 edition: three sub-rows."""

    overdue_correction: ApplicantCounts = row(
        ApplicantCounts, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    )
    overdue_fee: ApplicantCounts = row(
        ApplicantCounts, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    )
    other: ApplicantCounts = row(ApplicantCounts, "3.其他")


@frozen
class _ApplicationRows:
    """The rows of table 三 both editions share, up to （五）不予处理."""

    new_received: ApplicantCounts = row(ApplicantCounts, "一、本年新收政府信息公开申请数量")
    carried_over: ApplicantCounts = row(ApplicantCounts, "二、上年结转政府信息公开申请数量")
    granted: ApplicantCounts = row(ApplicantCounts, "（一）予以公开")
    partially_granted: ApplicantCounts = row(ApplicantCounts, "（二）部分公开")
    denied: Denied = row(Denied, "（三）不予公开")
    unable: Unable = row(Unable, "（四）无法提供")
    not_processed: NotProcessed = row(NotProcessed, "（五）不予处理")


@frozen
class Applications(_ApplicationRows):
    """Table 三 (收到和处理政府信息公开申请情况), 2021 edition."""

    other_processing: OtherProcessing2021 = row(OtherProcessing2021, "（六）其他处理")
    total: ApplicantCounts = row(ApplicantCounts, "（七）总计")
    carried_forward: ApplicantCounts = row(ApplicantCounts, "四、结转下年度继续办理")


@frozen
class Applications2019(_ApplicationRows):
    """Table 三, 2019 edition: （六）其他处理 is a single row."""

    other_processing: ApplicantCounts = row(ApplicantCounts, "（六）其他处理")
    total: ApplicantCounts = row(ApplicantCounts, "（七）总计")
    carried_forward: ApplicantCounts = row(ApplicantCounts, "四、结转下年度继续办理")


# --- table 四 ------------------------------------------------------------------


@frozen
class AppealCounts:
    """One group of table 四: four outcomes and their 总计."""

    upheld: Count = count("结果维持")
    corrected: Count = count("结果纠正")
    other: Count = count("其他结果")
    pending: Count = count("尚未审结")
    total: Count = count("总计")


@frozen
class Appeals:
    """Table 四 (政府信息公开行政复议、行政诉讼情况), both editions."""

    review: AppealCounts = row(AppealCounts, "行政复议")
    litigation_direct: AppealCounts = row(AppealCounts, "行政诉讼·未经复议直接起诉")
    litigation_after_review: AppealCounts = row(AppealCounts, "行政诉讼·复议后起诉")


# --- table 二, 2021 -------------------------------------------------------------


@frozen
class DocumentCounts:
    """规章 / 行政规范性文件 (2021): 本年制发件数, 本年废止件数, 现行有效件数."""

    issued: Count = count("本年制发件数")
    repealed: Count = count("本年废止件数")
    in_force: Count = count("现行有效件数")


@frozen
class Decisions:
    """行政许可 / 行政处罚 / 行政强制 (2021): 本年处理决定数量."""

    decisions: Count = count("本年处理决定数量")


@frozen
class FeeAmount:
    """行政事业性收费 (2021): 本年收费金额, in 万元."""

    amount: Optional[Decimal] = decimal("本年收费金额（单位：万元）", unit="万元")


@frozen
class ActiveDisclosure2021:
    """Table 二 (主动公开政府信息情况), 2021 edition."""

    regulations: DocumentCounts = row(DocumentCounts, "规章")
    normative_documents: DocumentCounts = row(DocumentCounts, "行政规范性文件")
    licensing: Decisions = row(Decisions, "行政许可")
    punishment: Decisions = row(Decisions, "行政处罚")
    coercion: Decisions = row(Decisions, "行政强制")
    fees: FeeAmount = row(FeeAmount, "行政事业性收费")


# --- table 二, 2019 -------------------------------------------------------------


@frozen
class Publications:
    """规章 / 规范性文件 (2019): 本年新制作数量, 本年新公开数量, 对外公开总数量."""

    new_made: Count = count("本年新制作数量")
    new_published: Count = count("本年新公开数量")
    total_published: Count = count("对外公开总数量")


@frozen
class ItemChanges:
    """行政许可 etc. (2019): 上一年项目数量, 本年增/减 (signed), 处理决定数量."""

    previous_items: Count = count("上一年项目数量")
    change: Count = signed("本年增/减")
    decisions: Count = count("处理决定数量")


@frozen
class FeeItems:
    """行政事业性收费 (2019): 上一年项目数量, 本年增/减 (signed)."""

    previous_items: Count = count("上一年项目数量")
    change: Count = signed("本年增/减")


@frozen
class Procurement:
    """政府集中采购 (2019): 采购项目数量, 采购总金额 (decimal, unit as printed)."""

    items: Count = count("采购项目数量")
    amount: Optional[Decimal] = decimal("采购总金额")
    amount_unit: Optional[str] = text("采购总金额的单位")


@frozen
class ActiveDisclosure2019:
    """Table 二 (主动公开政府信息情况), 2019 edition."""

    regulations: Publications = row(Publications, "规章")
    normative_documents: Publications = row(Publications, "规范性文件")
    licensing: ItemChanges = row(ItemChanges, "行政许可")
    other_services: ItemChanges = row(ItemChanges, "其他对外管理服务事项")
    punishment: ItemChanges = row(ItemChanges, "行政处罚")
    coercion: ItemChanges = row(ItemChanges, "行政强制")
    fees: FeeItems = row(FeeItems, "行政事业性收费")
    procurement: Procurement = row(Procurement, "政府集中采购")


# --- the report -----------------------------------------------------------------

#: Table 二 of either built-in edition (a user edition may subclass one of them).
ActiveDisclosure = Union[ActiveDisclosure2021, ActiveDisclosure2019]
#: Table 三 of either built-in edition.
AnyApplications = Union[Applications, Applications2019]

_BUILTIN = {
    "2021": {"active_disclosure": ActiveDisclosure2021, "applications": Applications, "appeals": Appeals},
    "2019": {"active_disclosure": ActiveDisclosure2019, "applications": Applications2019, "appeals": Appeals},
}
for _name, _tables in _BUILTIN.items():
    _schema.register_tables(_name, _tables)


@frozen
class Source:
    """Where a cell was printed and what was printed there (``report.source(address)``).

    ``printed`` is the cell's text as printed (``"251000元"``, ``"—"``, ``""`` for a
    blank table cell), ``unit`` the unit printed with the number (or None),
    ``line`` and ``column`` its 1-based position in the text the parser read.
    """

    printed: str
    line: Optional[int] = None
    column: Optional[int] = None
    unit: Optional[str] = None


class SourceMap(Protocol):
    """What a parser records about where cells were printed (see :meth:`Report.source`)."""

    @property
    def locations(self) -> Mapping[str, tuple[int, int]]: ...

    @property
    def printed(self) -> Mapping[str, str]: ...

    def source(self, address: str) -> Optional[Source]: ...


@frozen
class Report:
    """One parsed annual report.

    ``active_disclosure`` (table 二), ``applications`` (table 三) and ``appeals``
    (table 四) hold every cell.  ``issues`` are the reading issues :func:`parse`
    found (a unit it converted, a cell it could not read); :func:`validate` returns
    them together with the arithmetic.  :attr:`locations`, :attr:`printed` and
    :meth:`source` say where each cell was printed.  Neither the issues nor the
    locations take part in equality or in :meth:`to_dict`.
    """

    edition: str
    agency: Optional[str]
    year: Optional[int]
    active_disclosure: ActiveDisclosure
    applications: AnyApplications
    appeals: Appeals
    issues: tuple[Issue, ...] = field(default=(), eq=False, repr=False, metadata={"data": False})
    source_map: Optional[SourceMap] = field(default=None, eq=False, repr=False, metadata={"data": False})

    @property
    def schema(self) -> "Schema":
        """The tables, rows and cells of this report's edition (:mod:`gov_disclosure.schema`)."""
        return _schema.for_report(self)

    @property
    def complete(self) -> bool:
        """True when every cell was read: no reading issue left a cell unread."""
        return not any(i.severity == "error" for i in self.issues)

    @property
    def locations(self) -> Mapping[str, tuple[int, int]]:
        """``{address: (line, column)}`` for every cell read from text (empty if built from data)."""
        return self.source_map.locations if self.source_map is not None else {}

    @property
    def printed(self) -> Mapping[str, str]:
        """``{address: text}`` for every cell printed as blank, dash, ``/`` or ``无``."""
        return self.source_map.printed if self.source_map is not None else {}

    def source(self, address: str) -> Optional[Source]:
        """What was printed at ``address`` and where, or None (a report built from data)."""
        self.schema.cell(address)  # KeyError for an address the edition does not have
        return self.source_map.source(address) if self.source_map is not None else None

    # -- conversions -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The nested dict along the cell addresses (decimals stay ``Decimal``)."""
        return attrs.asdict(self, recurse=True, filter=_data_only)

    def to_json(self, **kwargs: Any) -> str:
        """A JSON string; decimals are written as strings (``"3664.4476"``)."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), default=_json_default, **kwargs)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Report":
        """Build a Report from :meth:`to_dict` (or parsed :meth:`to_json`) output.

        Raises :class:`~gov_disclosure.errors.StructureError` with a path such as
        ``$.applications.total.research`` when the data does not fit the edition.
        """
        from ._structure import structure_report

        return cls(**structure_report(data))

    @classmethod
    def from_json(cls, text: str) -> "Report":
        """Inverse of :meth:`to_json`."""
        return cls.from_dict(json.loads(text))

    def cells(self) -> Iterator[tuple[str, Any]]:
        """Every ``(address, value)`` pair, in template order."""
        for ref in self.schema.cells:
            yield ref.address, ref.getter(self)

    def get(self, path: str) -> Any:
        """The value at a dotted address, e.g. ``report.get("appeals.review.total")``."""
        obj: Any = self
        for part in path.split("."):
            try:
                obj = getattr(obj, part)
            except AttributeError:
                raise KeyError(f"no cell or row {path!r} in a report of edition {self.edition}") from None
        return obj

    def to_records(self, source: Optional[str] = None) -> list[dict[str, Any]]:
        """One dict per cell: ``source, agency, year, edition, table, row, column, path, value``."""
        head = {"source": source, "agency": self.agency, "year": self.year, "edition": self.edition}
        return [
            {**head, "table": c.table, "row": c.row, "column": c.column, "path": c.address, "value": c.getter(self)}
            for c in self.schema.cells
        ]


def _data_only(attribute: "attrs.Attribute[Any]", value: Any) -> bool:
    return bool(attribute.metadata.get("data", True))


def _json_default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return format(obj, "f")  # never exponent notation: "0.0000001", not "1E-7"
    raise TypeError(f"cannot serialise {type(obj).__name__}")
