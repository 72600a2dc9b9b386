"""HTML adapter: a report page (or a fragment of one) → report text.

The adapter only changes the *layout*: every table row becomes one line with its
cells joined by `` | ``, every paragraph (``<p>``, ``<div>``, heading, list item,
``<br>``-separated line) becomes one plain line, in document order.  The
normaliser and the grammar then read that text exactly as they read a report
copied from a web page, so nothing here knows the template's labels.

Tables:

* ``rowspan``/``colspan`` are resolved on a grid; a merged cell is written once,
  in the row where it starts (never copied into each grid slot);
* text inside a cell is joined with single spaces (``本年新<br>制作数量`` →
  ``本年新 制作数量``; the normaliser joins neighbouring label pieces);
* a blank cell (``&nbsp;``, empty) in a column that holds numbers is written as
  :data:`BLANK` (``∅``), the grammar's mark for an empty cell, so the numbers
  after it keep their columns; blank header and filler cells are left out;
* a table nested in another is read as a table, the outer one (page layout) as
  running text;
* a table split in two (a second ``<table>`` repeating the header rows of the
  first) is read as one: the repeated header rows are dropped.

Parser: `selectolax <https://github.com/rushter/selectolax>`_ (the ``[html]``
extra; the lexbor engine, a fast HTML5-conformant C parser) when installed,
else the standard library's :mod:`html.parser` — slower, but the result is the
same, so HTML never needs an extra.

Grid rows become report lines with :func:`gov_disclosure.formats.grid.table_lines`,
which the DOCX and PDF adapters share.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from typing import Any, Iterator, Optional, Union

from .. import limits
from ..errors import InputFormatError
from .grid import clean_cell, drop_repeated_header, has_report_tables, table_lines
from .text import decode

__all__ = ["html_to_text", "html_table_lines", "decode_html"]


# --- encodings ---------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CHARSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
             "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "cp950": "big5hkscs"}


def decode_html(data: bytes) -> str:
    """Decode an HTML page: a BOM wins, then ``<meta charset=…>`` (also the
    ``http-equiv`` form; GB2312/GBK are read as GB18030, Big5 as Big5-HKSCS),
    then UTF-8, then GB18030 (:func:`gov_disclosure.formats.text.decode`)."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data)
    m = _META_CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "ignore").lower()
        name = _CHARSETS.get(name, name)
        try:
            info = codecs.lookup(name)
            codec = info.name if getattr(info, "_is_text_encoding", True) else None
        except LookupError:
            codec = None
        if codec is not None:
            try:
                return data.decode(codec)
            except (UnicodeError, LookupError):
                pass  # the declaration is wrong; guess below
    return decode(data)


# --- the document walk --------------------------------------------------------

_SKIP = frozenset(
    "head script style noscript template title meta link iframe object embed svg math select option "
    "button textarea input canvas map area audio video".split()
)
_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article header footer main nav aside blockquote "
    "pre center form hr figure figcaption address caption fieldset legend details summary body html "
    "tr td th thead tbody tfoot table".split()
)
_LEADING_DIGITS = re.compile(r"\s*(\d+)")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


class _Node:
    """A minimal DOM node for the standard-library parser (same accessors as selectolax)."""

    __slots__ = ("tag", "attributes", "children", "text_content")

    def __init__(self, tag: str, attributes: Optional[dict[str, Optional[str]]] = None, text: str = "") -> None:
        self.tag = tag
        self.attributes = attributes or {}
        self.children: list[_Node] = []
        self.text_content = text

    def iter(self, include_text: bool = True) -> Iterator["_Node"]:
        return iter(self.children)


_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements an open one implicitly closes (the few HTML rules real report pages rely on).
_CLOSES = {
    "tr": {"tr", "td", "th"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "p": {"p"},
    "li": {"li"},
    "tbody": {"tbody", "thead", "tfoot", "tr", "td", "th"},
    "thead": {"tbody", "thead", "tfoot", "tr", "td", "th"},
    "tfoot": {"tbody", "thead", "tfoot", "tr", "td", "th"},
}
_BOUNDARY = frozenset({"table", "html", "body", "div", "td", "th", "ul", "ol"})


class _TreeBuilder(HTMLParser):
    """Builds a :class:`_Node` tree with :mod:`html.parser` (the no-extra fallback)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        closes = _CLOSES.get(tag)
        if closes:
            # close the implicitly ended elements, never across a table, cell or list boundary
            cut = None
            for i in range(len(self.stack) - 1, 0, -1):
                name = self.stack[i].tag
                if name in closes:
                    cut = i
                elif name in _BOUNDARY:
                    break
            if cut is not None:
                del self.stack[cut:]
        node = _Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self.stack[-1].children.append(_Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
            if self.stack[i].tag == "table" and tag != "table":
                return  # a stray end tag inside a table closes nothing outside it

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(_Node("-text", text=data))


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,30})[^>]*?(/?)>")
# elements a browser closes without an end tag (and void ones): they add no nesting that lasts
_NO_DEPTH = _VOID | frozenset(
    "p li dt dd tr td th thead tbody tfoot option optgroup colgroup caption rb rt rp html head body".split()
)


def _check_markup_depth(html: str) -> None:
    """Refuse markup nested far beyond the ``nesting`` limit before it is parsed (a
    parser takes time in the depth for every tag: 100 000 nested ``<div>`` take
    lexbor half a minute).  The depth is estimated from the tags as a browser
    nests them (an end tag closes the nearest open element of its name and those
    inside it); the scan stops at twice the limit, and the walker checks the
    exact depth of the parsed tree."""
    most = limits.current().nesting
    if most is None:
        return
    stop = 2 * most
    stack: list[str] = []
    open_count: dict[str, int] = {}
    for m in _TAG.finditer(html):
        name = m.group(2).lower()
        if name in _NO_DEPTH:
            continue
        if m.group(1):  # an end tag: close up to the nearest open element of that name
            if open_count.get(name):
                while True:
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        break
        elif not m.group(3):
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
            if len(stack) > stop:
                limits.check_nesting(len(stack))


def _parse(html: str) -> Any:
    """The document's root node: selectolax (lexbor) if installed, else html.parser."""
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        builder = _TreeBuilder()
        builder.feed(html)
        builder.close()
        return builder.root
    tree = LexborHTMLParser(html)
    return tree.root if tree.root is not None else tree.body


def _children(node: Any) -> Iterator[Any]:
    children: Iterator[Any] = node.iter(include_text=True)
    return children


def _hidden(node: Any) -> bool:
    attrs = node.attributes
    if "hidden" in attrs:
        return True
    style = attrs.get("style")
    return bool(style) and _HIDDEN.search(style) is not None


def _contains_table(node: Any) -> bool:
    css = getattr(node, "css", None)
    if css is not None:  # selectolax: a C-level search (the result includes ``node`` itself)
        return len(css("table")) > 1
    for child in _children(node):
        tag = child.tag
        if tag == "table" or (tag and tag[0] != "-" and _contains_table(child)):
            return True
    return False


def _span(value: Optional[str], limit: int) -> int:
    if not value:
        return 1
    if value.isascii() and value.isdigit():
        return min(max(int(value), 1), limit)
    m = _LEADING_DIGITS.match(value)
    n = int(m.group(1)) if m else 1
    return min(max(n, 1), limit)


class _Walker:
    """Collects the document as blocks: narrative lines and tables (grid rows)."""

    def __init__(self) -> None:
        self.blocks: list[Union[str, list[list[tuple[int, str]]]]] = []
        self.buffer: list[str] = []
        self.depth = 0  # element nesting, and the table cells so far (gov_disclosure.limits)
        self.cells = 0

    # narrative
    def newline(self) -> None:
        if self.buffer:
            line = clean_cell("".join(self.buffer))
            self.buffer = []
            if line:
                self.blocks.append(line)

    def walk(self, node: Any) -> None:
        self.depth += 1  # one frame per level: the nesting limit stays below the recursion limit
        limits.check_nesting(self.depth)
        for child in _children(node):
            tag = child.tag
            if tag == "-text":
                self.buffer.append(child.text_content or "")
            elif not tag or tag[0] in "-#!" or tag in _SKIP or _hidden(child):
                continue
            elif tag == "br":
                self.newline()
            elif tag in ("pre", "plaintext", "xmp"):
                # preformatted text keeps its lines (a report pasted as text, tabs and pipes included)
                self.newline()
                parts: list[str] = []
                self._cell_text(child, parts)
                self.blocks.extend(line.rstrip() for line in "".join(parts).splitlines() if line.strip())
            elif tag == "table" and not _contains_table(child):
                self.newline()
                self.blocks.append(self.grid(child))
            elif tag in _BLOCK:
                self.newline()
                self.walk(child)
                self.newline()
            else:
                self.walk(child)
        self.depth -= 1

    # tables
    def grid(self, table: Any) -> list[list[tuple[int, str]]]:
        trs = list(self._rows(table))
        # cells spanning into later rows, as (first column, end column, end row): a merged
        # cell is an interval, never one entry per grid slot
        spans: list[tuple[int, int, int]] = []
        slots = 0
        rows: list[list[tuple[int, str]]] = []
        for r, tr in enumerate(trs):
            spans = [s for s in spans if s[2] > r]
            taken = sorted(spans)
            k = 0
            col = 0
            row: list[tuple[int, str]] = []
            for cell in _children(tr):
                if cell.tag not in ("td", "th") or _hidden(cell):
                    continue
                while k < len(taken) and taken[k][0] <= col:  # skip the slots merged cells above hold
                    col = max(col, taken[k][1])
                    k += 1
                rowspan = _span(cell.attributes.get("rowspan"), len(trs) - r)
                colspan = _span(cell.attributes.get("colspan"), 1000)
                self.cells += 1
                slots += rowspan * colspan
                limits.check_table_cells(self.cells)
                limits.check_grid_cells(slots)
                row.append((col, self.cell_text(cell)))
                if rowspan > 1:
                    spans.append((col, col + colspan, r + rowspan))
                col += colspan
            rows.append(row)
        return rows

    def _rows(self, node: Any) -> Iterator[Any]:
        for child in _children(node):
            if child.tag == "tr":
                if not _hidden(child):
                    yield child
            elif child.tag in ("thead", "tbody", "tfoot"):
                yield from self._rows(child)

    def cell_text(self, cell: Any) -> str:
        parts: list[str] = []
        self._cell_text(cell, parts)
        return clean_cell("".join(parts))

    def _cell_text(self, node: Any, parts: list[str]) -> None:
        self.depth += 1
        limits.check_nesting(self.depth)
        for child in _children(node):
            tag = child.tag
            if tag == "-text":
                parts.append(child.text_content or "")
            elif not tag or tag[0] in "-#!" or tag in _SKIP or _hidden(child):
                continue
            elif tag == "br" or tag in _BLOCK:
                parts.append(" ")
                self._cell_text(child, parts)
                parts.append(" ")
            else:
                self._cell_text(child, parts)
        self.depth -= 1


def _lines(html: str) -> tuple[list[str], list[list[list[tuple[int, str]]]]]:
    """The page as report lines, and its tables as grid rows."""
    walker = _Walker()
    _check_markup_depth(html)
    try:
        walker.walk(_parse(html))
    except RecursionError:
        raise InputFormatError(
            "the HTML page is nested too deeply to read (thousands of unclosed elements?)"
        ) from None
    walker.newline()
    lines: list[str] = []
    tables: list[list[list[tuple[int, str]]]] = []
    previous: Optional[list[list[tuple[int, str]]]] = None
    for block in walker.blocks:
        if isinstance(block, str):
            lines.append(block)
            previous = None
            continue
        rows = drop_repeated_header(previous, block) if previous is not None else block
        tables.append(block)
        lines.extend(table_lines(rows))
        previous = block
    return lines, tables


def html_table_lines(fragment: str) -> list[str]:
    """Report lines for an HTML fragment (a ``<table>`` inside markdown text)."""
    return _lines(fragment)[0]


def html_to_text(html: Union[str, bytes]) -> str:
    """Report text from an HTML page or fragment (``str``, or ``bytes`` in any
    encoding :func:`decode_html` reads).

    Raises :class:`~gov_disclosure.errors.InputFormatError` when the page holds
    no table and its text has none of the template's table captions (the report's
    tables are then images, an attachment, or on another page).
    """
    if isinstance(html, bytes):
        html = decode_html(html)
    lines, tables = _lines(html)
    text = "\n".join(lines) + "\n"
    if not tables and not has_report_tables(text):
        raise InputFormatError(
            "the HTML page has no <table> and none of the report's table captions "
            "(申请人情况, 第二十条第（一）项 …): the tables may be images or an attachment "
            "(PDF/DOCX) linked from the page; parse that file instead"
        )
    if tables and not has_report_tables(text):
        raise InputFormatError(
            f"the HTML page has {len(tables)} table(s) but none of them is a report table "
            "(no 申请人情况, 第二十条第（一）项 or 未经复议直接起诉 caption): the report's tables "
            "may be images or an attachment linked from the page"
        )
    return text
