"""Partial reports: what the text prints for certain is read, the rest is None with an issue.

Three kinds of evidence:

* the toolchain corpus (``tests/fixtures/toolchain``: reports rendered to DOCX, PDF
  and HTML and turned into text by real tools, with the values they print) — every
  number returned is the printed one, and every cell left empty has an issue;
* hand-made damage (a missing row, a misprinted header, a fragment holding only
  table 四, markdown headings, a page flattened to one line);
* properties: rendered reports in every layout, then lines deleted, duplicated,
  swapped, cut, or all joined into one — never a number at a wrong address.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any, Optional, Sequence

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.render import LAYOUTS, render
from gov_disclosure.strategies import reports

CORPUS = Path(__file__).parent / "fixtures" / "toolchain"
EXPECTED = CORPUS / "expected"
DAMAGED = CORPUS / "damaged"


def _explained(report: gd.Report, address: str) -> bool:
    """True if an issue of ``report`` covers the cell ``address`` (the cell, its row or its table)."""
    row = address.rpartition(".")[0]
    table = address.partition(".")[0]
    return any(i.path in (address, row, table) or row.startswith(i.path + ".") for i in report.issues)


def _check_against(report: gd.Report, expected: gd.Report, label: str) -> tuple[int, int]:
    """Every value equals the expected one, or is None with an issue; returns (exact, none)."""
    exact = unread = 0
    want = dict(expected.cells())
    for address, value in report.cells():
        if value is None:
            if want[address] is not None:
                unread += 1
                assert _explained(report, address), f"{label}: {address} is None without an issue"
            continue
        assert value == want[address], f"{label}: {address} read {value!r}, printed {want[address]!r}"
        exact += 1
    if unread:
        assert not report.complete, f"{label}: cells unread but the report says it is complete"
    return exact, unread


def _corpus_files() -> list[tuple[str, Path, Path]]:
    out = []
    for form in sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name not in ("expected", "damaged")):
        for text in sorted(form.glob("*.txt")):
            out.append((f"{form.name}/{text.stem}", text, EXPECTED / f"{text.stem}.json"))
    for text in sorted(DAMAGED.glob("*.txt")):
        out.append((f"damaged/{text.stem}", text, text.with_suffix(".json")))
    return out


CORPUS_FILES = _corpus_files()


def test_the_corpus_is_there() -> None:
    assert len(CORPUS_FILES) > 150


@pytest.mark.parametrize("label,text,expected", CORPUS_FILES, ids=[c[0] for c in CORPUS_FILES])
def test_corpus_never_a_wrong_number(label: str, text: Path, expected: Path) -> None:
    want = gd.Report.from_json(expected.read_text(encoding="utf-8"))
    try:
        report = gd.parse(text.read_text(encoding="utf-8"))
    except gd.ParseError:
        return  # refused as a whole: nothing returned, nothing wrong
    assert report.edition == want.edition
    _check_against(report, want, label)
    # the same text read strictly either gives the same report or raises
    try:
        strict = gd.parse(text.read_text(encoding="utf-8"), strict=True)
    except gd.ParseError:
        assert not report.complete or any(i.code == "parse.recovered" for i in report.issues)
    else:
        assert strict == report and report.complete


def _damaged(name: str) -> tuple[gd.Report, gd.Report]:
    text = (DAMAGED / f"{name}.txt").read_text(encoding="utf-8")
    want = gd.Report.from_json((DAMAGED / f"{name}.json").read_text(encoding="utf-8"))
    return gd.parse(text), want


@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_a_report_without_a_row_gives_every_other_cell(edition: str) -> None:
    report, want = _damaged(f"no_regulations_row_{edition}")
    assert report.active_disclosure.regulations == type(report.active_disclosure.regulations)()
    (issue,) = [i for i in report.issues if i.path == "active_disclosure.regulations"]
    assert issue.code == "parse.row_missing" and "规章" in issue.message
    assert not report.complete
    exact, unread = _check_against(report, want, "no 规章 row")
    assert unread == 0 and exact >= 180
    with pytest.raises(gd.ParseError, match="规章"):
        gd.parse((DAMAGED / f"no_regulations_row_{edition}.txt").read_text(encoding="utf-8"), strict=True)
    assert issue in gd.validate(report)


def test_a_misprinted_header_does_not_refuse_the_report() -> None:
    report, want = _damaged("misprint_header_2019")
    assert report == want
    assert report.complete  # every cell was read
    (note,) = report.issues
    assert note.code == "parse.recovered" and note.severity == "info" and "本年公开数量" in note.message


def test_a_fragment_holding_only_table_four_gives_table_four() -> None:
    report, want = _damaged("fragment_table4_2021")
    assert report.appeals == want.appeals
    codes = {i.path: i.code for i in report.issues}
    assert codes["active_disclosure"] == "parse.table_missing"
    assert codes["applications"] == "parse.table_missing"
    assert all(v is None for a, v in report.cells() if not a.startswith("appeals."))


def test_a_table_a_converter_left_out_is_missing_at_its_heading() -> None:
    """pandoc's plain text writes ``[TABLE]`` for a table it cannot draw: table 三 is
    missing, the issue points at its heading, and tables 二 and 四 are read."""
    example = Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt"
    want = gd.parse_file(example)
    lines = example.read_text("utf-8").split("\n")
    start = lines.index("三、收到和处理政府信息公开申请情况")
    end = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    text = "\n".join([*lines[: start + 1], "", "[TABLE]", "", *lines[end:]])
    report = gd.parse(text)
    (missing,) = [i for i in report.issues if i.code == "parse.table_missing"]
    assert missing.path == "applications" and missing.line == start + 1 and missing.column == 1
    assert "heading" in missing.message and "三、收到和处理政府信息公开申请情况" in missing.message
    assert report.active_disclosure == want.active_disclosure and report.appeals == want.appeals
    assert all(v is None for a, v in report.cells() if a.startswith("applications."))
    # the note on the recovery names the labels as printed, not as patterns
    (note,) = [i for i in report.issues if i.code == "parse.recovered"]
    assert "[^" not in note.message and "\\" not in note.message


def _narrow(label: str) -> list[str]:
    """A label as a PDF extractor gives it from a narrow column: two characters a line
    (the ordinal ``2.`` keeps the character after it: ``2.申``)."""
    return [label[:3], *(label[k : k + 2] for k in range(3, len(label), 2))]


def test_labels_from_a_narrow_column_are_read_with_their_quotes_moved_and_in_many_pieces() -> None:
    """LibreOffice's PDF of the template, through PyMuPDF: a label two characters a line,
    quotation marks pulled out of place (``3.危`` / ``“`` / ``及三`` … ``”`` / ``定``), a long
    label in nineteen pieces, half of them after the row's numbers."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    text = render(want, layout="newline")
    lines = text.split("\n")
    security = next(k for k, line in enumerate(lines) if "危及" in line)
    lines[security : security + 1] = ["3.危", "“", "及三", "安全", "一稳", "”", "定"]
    fee = next(k for k, line in enumerate(lines) if "收费通知" in line)
    pieces = _narrow(lines[fee].strip())
    assert len(pieces) > 16
    numbers = lines[fee + 1 : fee + 8]
    assert all(n.strip().isdigit() for n in numbers)
    lines[fee : fee + 8] = [*pieces[:10], *numbers, *pieces[10:]]
    report = gd.parse("\n".join(lines))
    assert report.applications.denied.security_stability == want.applications.denied.security_stability
    assert report.applications.other_processing.overdue_fee == want.applications.other_processing.overdue_fee
    assert report.complete


@pytest.mark.parametrize("name", ["markdown_headings_2019", "markdown_headings_2021", "flat_newline_2019",
                                  "flat_newline_2021", "flat_pipe_2021"])
def test_damaged_forms_are_read_in_part_and_never_wrong(name: str) -> None:
    report, want = _damaged(name)
    exact, _ = _check_against(report, want, name)
    assert exact >= 150, exact


def _uneven(order: list[int]) -> tuple[gd.Report, gd.Report]:
    """The example report with table 三's last row printed over two lines of different
    lengths (``0 637`` over ``0 0 431 0 1068``) in the cell order ``order``."""
    base = gd.parse_file(Path(__file__).parents[1] / "examples" / "pipes_2021.txt")
    lines = render(base, "space").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("四、结转下年度继续办理"))
    values = [lines[at].split()[1:][k] for k in order]
    lines[at : at + 1] = ["四、结转下年度继续办 " + " ".join(values[:2]), " ".join(values[2:]), "理"]
    return base, gd.parse("\n".join(lines))


def test_a_row_over_uneven_lines_is_read_when_the_whole_table_adds_up() -> None:
    """``0 637`` over ``0 0 431 0 1068`` in the columns' order: the row's sum and every
    column rule of table 三 hold, which a misplaced number would break."""
    base, report = _uneven(list(range(7)))
    assert report.applications == base.applications
    (issue,) = [i for i in report.issues if i.path == "applications.carried_forward"]
    assert issue.code == "value.inferred" and "lines of different lengths" in issue.message


def test_a_row_over_uneven_lines_in_another_order_is_not_read() -> None:
    """Two columns swapped: the row still adds up, the table's columns do not."""
    base, _ = _uneven(list(range(7)))
    row = base.applications.carried_forward
    numbers = [row.natural_person, row.commercial, row.research, row.social_welfare, row.legal_services]
    a, b = next((i, j) for i in range(5) for j in range(i + 1, 5) if numbers[i] != numbers[j])
    order = list(range(7))
    order[a], order[b] = order[b], order[a]
    _, report = _uneven(order)
    assert report.applications.carried_forward == type(report.applications.carried_forward)()
    (issue,) = [i for i in report.issues if i.path == "applications.carried_forward"]
    assert issue.code == "parse.row_unreadable" and "lines of different lengths" in issue.message
    assert issue.printed is not None


# --- properties -------------------------------------------------------------------------------


_NUMBER_LINE = re.compile(r"\s*[\d,]+\s*")
_NUMBER_OR_BLANK = re.compile(r"\s*(?:[\d,]+|—)\s*")


def _rows_of_seven(lines: list[str]) -> list[int]:
    """The lines holding a label followed by exactly seven lines of one number each (a
    table-三 row in the one-cell-per-line layout)."""
    return [k for k in range(len(lines) - 7)
            if all(_NUMBER_LINE.fullmatch(lines[k + c]) for c in range(1, 8))
            and not re.fullmatch(r"\s*[\d,.]+\s*", lines[k])
            and (k + 8 >= len(lines) or not _NUMBER_LINE.fullmatch(lines[k + 8]))]


def _mutate(text: str, rnd: random.Random, kind: str) -> tuple[str, set[int]]:
    """``text`` mutated; returns the new text and the (1-based) original lines touched."""
    lines = text.split("\n")
    n = len(lines)
    i = rnd.randrange(n)
    if kind == "delete":
        return "\n".join(lines[:i] + lines[i + 1 :]), {i + 1}
    if kind == "duplicate":
        return "\n".join(lines[: i + 1] + [lines[i]] + lines[i + 1 :]), {i + 1}
    if kind == "swap":
        j = min(n - 1, i + rnd.randint(1, 3))
        lines[i], lines[j] = lines[j], lines[i]
        # every line between the two changed places relative to them, and a moved label
        # re-labels the numbers printed after it, up to the next label
        end = j + 1
        while end < n and re.fullmatch(r"[\s|]*[-+\d.,—/]*[\s|]*", lines[end]):
            end += 1
        return "\n".join(lines), set(range(i + 1, end + 1))
    if kind == "cut":
        return "\n".join(lines[:i]), set(range(i, n + 1))
    if kind == "join":
        return " ".join(line.strip() for line in lines), set()
    if kind == "late_label":
        # a label wrapped after its row's numbers; sometimes the next row's label lost
        rows = _rows_of_seven(lines)
        if not rows:
            return text, set()
        k = rnd.choice(rows)
        label = lines[k]
        lines[k : k + 8] = [*lines[k + 1 : k + 8], label]
        if rnd.random() < 0.5 and k + 8 < len(lines) and not re.fullmatch(r"\s*[\d,.]+\s*", lines[k + 8]):
            del lines[k + 8]
        return "\n".join(lines), set()
    if kind == "late_labels":
        # every label printed after its row's numbers (a PDF whose labels sit low in
        # their cells): read label-first, each row would take the next row's numbers
        for k in reversed(_rows_of_seven(lines)):
            lines[k : k + 8] = [*lines[k + 1 : k + 8], lines[k]]
        return "\n".join(lines), set()
    if kind == "wrap":
        # a row of cells too narrow for some numbers, as PyMuPDF gives it: every cell's
        # first line, then the rest of each cell that wrapped
        starts = _rows_of_seven(lines)
        if not starts:
            return text, set()
        k = rnd.choice(starts)
        cells = [lines[k + c].strip() for c in range(1, 8)]
        width = rnd.randint(1, max(1, max(map(len, cells)) - 1))
        heads = [c[:width] for c in cells]
        rests = [c[width:] for c in cells if len(c) > width]
        lines[k + 1 : k + 8] = heads + rests
        return "\n".join(lines), set()
    if kind == "break":
        # a number too wide for its column, broken over two lines (``1475`` / ``8``): it
        # is joined back or left unread, and no number anywhere is read wrong
        numbers = list(re.finditer(r"(?<![\d.,])\d{2,}(?![\d.,])", text))
        if not numbers:
            return text, set()
        m = rnd.choice(numbers)
        cut = m.start() + rnd.randrange(1, len(m.group()))
        return text[:cut] + "\n" + text[cut:], set()
    if kind == "break_lost":
        # a number broken over two lines and a line lost in another row: the join is
        # confirmed by a column rule over the rows still read, or not read.  (Within one
        # row, a lost number and a broken one make a row of seven numbers as printed.)
        (lost,) = _mutate(text, rnd, "delete")[1]
        lines = text.split("\n")
        del lines[lost - 1]
        # table 四's fifteen numbers are one run, as a row's seven are: both there print
        # fifteen numbers as printed (the pipe layout's missing `` |`` after the first piece
        # is the only trace, and the reader does not use it)
        four = next((k for k, line in enumerate(lines) if line.startswith("四、") and "行政复议" in line), len(lines))
        five = next((k for k, line in enumerate(lines) if k > four and line.startswith("五、")), len(lines))
        inside = four < lost - 1 <= five  # the lost line stood between them (the lines after it moved up)
        numbers = [(k, m) for k, line in enumerate(lines) if abs(k + 1 - lost) > 8
                   and not (inside and four <= k < five)
                   for m in re.finditer(r"(?<![\d.,])\d{2,}(?![\d.,])", line)]
        if numbers:
            k, m = rnd.choice(numbers)
            cut = m.start() + rnd.randrange(1, len(m.group()))
            lines[k] = lines[k][:cut] + "\n" + lines[k][cut:]
        return "\n".join(lines), {lost}
    if kind == "late_header":
        return _late_header(text, rnd), set()
    if kind == "late_header_blank":
        # the same with a table-二 number left out (a blank cell that leaves no trace): the
        # numbers after a label may then be the next row's
        text = _late_header(text, rnd)
        start, end = text.find("二、主动公开"), text.find("三、收到")
        numbers = list(re.finditer(r"(?<![\d.,])\d+(?:\.\d+)?(?![\d.,])", text[start:end])) if start >= 0 else []
        if not numbers:
            return text, set()
        m = rnd.choice(numbers)
        at = start + m.start()
        return text[:at] + text[at + len(m.group()) :], {text.count("\n", 0, at) + 1}
    raise AssertionError(kind)


#: Table 二's column headers and each block's first row label, as rendered.
_HEADERS = re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量"
                      r"|本年增/减|本年处理决定数量|本年收费金额\(单位:万元\)|采购项目数量|采购总金额")
_FIRST_LABELS = re.compile(r"规章|行政许可|行政处罚|行政事业性收费|政府集中采购")


def _late_header(text: str, rnd: random.Random) -> str:
    """``text`` with the first row label of a table-二 block and one of the block's column
    headers swapped, as ``pdftotext``'s default order prints a label centred in a row
    taller than its header's (``信息内容`` / ``行政许可`` / ``本年处理决定数量`` / ``9``)."""
    blocks = [m.end() for m in re.finditer(r"第二十条第.{3}项", text)]
    if not blocks:
        return text
    at = rnd.choice(blocks)
    label = _FIRST_LABELS.search(text, at)
    heads = [m for m in _HEADERS.finditer(text, at, label.start())] if label else []
    if label is None or not heads:
        return text
    head = rnd.choice(heads)
    return (text[: head.start()] + label.group() + text[head.end() : label.start()] + head.group()
            + text[label.end() :])


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    report=reports(consistent=True),
    layout=st.sampled_from(LAYOUTS),
    kind=st.sampled_from(
        ["delete", "duplicate", "swap", "cut", "join", "break", "break_lost", "wrap", "late_label",
         "late_labels", "late_header", "late_header_blank"]
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_damaged_text_never_gives_a_number_at_a_wrong_address(
    report: gd.Report, layout: str, kind: str, seed: int
) -> None:
    text = render(report, layout)
    original = gd.parse(text, strict=True)
    assert original == report
    mutated, touched = _mutate(text, random.Random(seed), kind)
    try:
        got = gd.parse(mutated)
    except gd.ParseError:
        return
    want = dict(report.cells())
    for address, value in got.cells():
        line = original.locations.get(address, (0, 0))[0]
        if line in touched:
            continue  # the printed cell itself was moved or cut (an empty line in its place reads blank)
        if value is None:
            if want[address] is not None:
                assert _explained(got, address), f"{kind}: {address} is None without an issue"
            continue
        assert value == want[address], f"{kind} on {layout}: {address} read {value!r}, printed {want[address]!r}"


def test_a_block_header_printed_after_its_first_row_label_is_read_as_the_template_orders_it() -> None:
    """``pdftotext``'s default order prints a label centred in a row taller than its
    header's before the header: ``信息内容`` / ``行政许可`` / ``本年处理决定数量`` / ``0``.  The
    grammar puts 本年处理决定数量 right before 行政许可 in its block, so the header goes back
    before the label and the row is read; not when one of the block's headers is printed
    elsewhere (after the next row's label: the text's order is not the grid's, and
    blank cells leave no trace, so the numbers after the label may be other rows')."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    text = render(want, "newline")
    for head, label in (("本年处理决定数量", "行政许可"), ("本年收费金额(单位:万元)", "行政事业性收费"),
                        ("现行有效件数", "规章")):
        text = text.replace(f"{head}\n{label}\n", f"{label}\n{head}\n", 1)
    assert "信息内容\n行政许可\n本年处理决定数量\n" in text
    got = gd.parse(text)
    assert got.active_disclosure == want.active_disclosure
    assert got.applications == want.applications and got.appeals == want.appeals
    # 现行有效件数 after the next row's label, as a template PDF with blank cells prints it
    moved = render(want, "newline").replace("本年制发件数\n本年废止件数\n现行有效件数\n规章\n",
                                            "规章\n本年制发件数\n本年废止件数\n", 1)
    moved = moved.replace("行政规范性文件\n", "行政规范性文件\n现行有效件数\n", 1)
    assert "\n规章\n本年制发件数\n本年废止件数\n51\n" in moved
    got = gd.parse(moved)
    assert got.active_disclosure.regulations.issued is None
    assert any(i.path == "active_disclosure.regulations" for i in got.issues)


def test_numbers_broken_over_lines_in_a_narrow_column_are_joined_where_certain() -> None:
    """LibreOffice's PDF of a city report, through PyMuPDF: ``14758`` comes out as ``1475``
    / ``8``.  Joined back only when exactly one joining fits the row's sum and the whole
    table then adds up, and marked ``value.inferred``."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(want, layout="newline").split("\n")
    label = next(k for k, line in enumerate(lines) if "本年新收" in line)
    total = label + 7  # the row's 总计, printed after its six columns
    assert lines[total].strip() == str(want.applications.new_received.total)
    lines[total : total + 1] = [lines[total][:-1], lines[total][-1]]
    report = gd.parse("\n".join(lines))
    assert report == want
    (note,) = [i for i in report.issues if i.code == "value.inferred"]
    assert note.path == "applications.new_received" and "broken over lines" in note.message
    # the same break where the table does not add up (a misprint elsewhere): not read
    misprint = [*lines]
    carried = next(k for k, line in enumerate(misprint) if "上年结转" in line) + 1
    misprint[carried] = str(int(misprint[carried]) + 1)
    report = gd.parse("\n".join(misprint))
    assert report.applications.new_received == type(report.applications.new_received)()
    assert any(i.code == "parse.row_unreadable" and i.path == "applications.new_received" and
               "does not then add up" in i.message for i in report.issues)


def test_a_number_broken_over_lines_is_joined_when_one_column_rule_confirms_it() -> None:
    """A join (``24`` / ``3`` for 243) that the row's sum alone allows is confirmed by one
    column rule holding over rows all read (新收 + 上年结转 = 总计 + 结转下年度) even when
    another row of the table is unread; not when a row of that rule is unread or misprinted."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(want, layout="newline").split("\n")

    def at(label: str) -> int:
        return next(k for k, line in enumerate(lines) if label in line)

    total = at("本年新收") + 7  # the row's 总计, printed after its six columns
    lines[total : total + 1] = [lines[total][:-1], lines[total][-1]]
    granted = at("（一）予以公开") + 1
    del lines[granted]  # a result row with one number lost: unread, so the results rule cannot hold
    report = gd.parse("\n".join(lines))
    assert report.applications.new_received == want.applications.new_received
    assert report.applications.granted == type(report.applications.granted)()
    assert any(i.code == "value.inferred" and i.path == "applications.new_received" for i in report.issues)
    # a row of the balance rule unread as well, or misprinted: nothing confirms the join
    for damage in ("unread", "misprint"):
        other = [*lines]
        carried = next(k for k, line in enumerate(other) if "上年结转" in line) + 1
        if damage == "unread":
            del other[carried]
        else:
            other[carried] = str(int(other[carried]) + 1)
        report = gd.parse("\n".join(other))
        assert report.applications.new_received == type(report.applications.new_received)(), damage
        assert any(i.code == "parse.row_unreadable" and i.path == "applications.new_received"
                   for i in report.issues), damage


_CAPTIONS = ("三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理")


def _interleave(
    text: str, rnd: random.Random, across: bool, ordinal_alone: bool = False, rest_before: bool = False
) -> str:
    """Each group caption of table 三 cut in two and interleaved with row labels as a PDF
    extractor gives a caption column beside a label column: caption piece, label piece,
    the row's numbers, caption piece, label piece.  With ``across``, the caption's two
    pieces go around two different rows (a caption centred over several rows).  With
    ``ordinal_alone``, a label's ordinal is a line of its own and the rest of its first
    piece two more (``1.`` / ``本`` / ``机关``: pypdfium2 on a narrow label column).  With
    ``rest_before``, the caption's rest comes before the numbers, after the label's first
    piece (``(六)其他处`` / ``2.申请人…费用、`` / ``理`` / numbers / ``行政机关…``)."""
    lines = text.split("\n")
    for caption in _CAPTIONS:
        if caption not in lines:
            continue
        at = lines.index(caption)
        first = at + 1  # the first row of the group: its label, then its numbers
        size = 1
        while first + size < len(lines) and re.fullmatch(r"[\d.,]+", lines[first + size].strip()):
            size += 1
        label = lines[first].strip()
        if len(label) < 2 or re.fullmatch(r"[\d.,]+", label) or size == 1:
            continue  # the group is a row of its own (2019's （六）其他处理)
        cut = rnd.randrange(1, len(caption))
        # a piece that is only an ordinal (``1.``) reads as a number piece: not cut there
        cut_label = rnd.choice([k for k in range(1, len(label)) if not re.fullmatch(r"[\d.、]+", label[:k])])
        numbers = lines[first + 1 : first + size]
        head = [label[:cut_label]]
        ordinal = re.match(r"\d{1,2}[.、]", label)
        if ordinal_alone and ordinal and cut_label > ordinal.end():
            rest = label[ordinal.end() : cut_label]
            split = rnd.randrange(0, len(rest))
            head = [ordinal.group(), *(p for p in (rest[:split], rest[split:]) if p)]
        block = [caption[:cut], *head, *numbers]
        if across:
            block += [label[cut_label:]]
            lines[at : first + size] = block
            # the caption's rest goes before the label of the next row
            nxt = at + len(block)
            lines[nxt:nxt] = [caption[cut:]]
        elif rest_before:
            block[len(block) - len(numbers) : len(block) - len(numbers)] = [caption[cut:]]
            block += [label[cut_label:]]
            lines[at : first + size] = block
        else:
            block += [caption[cut:], label[cut_label:]]
            lines[at : first + size] = block
    return "\n".join(lines)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(report=reports(consistent=True), across=st.booleans(), alone=st.booleans(), before=st.booleans(),
       seed=st.integers(0, 2**32 - 1))
def test_labels_interleaved_with_their_group_caption_never_give_a_wrong_number(
    report: gd.Report, across: bool, alone: bool, before: bool, seed: int
) -> None:
    text = _interleave(render(report, "newline"), random.Random(seed), across, ordinal_alone=alone, rest_before=before)
    got = gd.parse(text)
    _check_against(got, report, "interleaved" + (" across rows" if across else "") + (", ordinal alone" if alone else "")
                   + (", caption's rest before the numbers" if before and not across else ""))


def test_a_caption_whose_rest_comes_before_the_numbers_is_read() -> None:
    """``(六)其他处`` / ``2.申请人逾期未按收费通知要求缴纳费用、`` / ``理`` / numbers /
    ``行政机关不再处理其政府信息公开申请`` (pdfplumber, ``pdftotext -layout``): the caption's
    and the label's pieces alternate; each is whole only one way."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    text = _interleave(render(want, "newline"), random.Random(7), across=False, rest_before=True)
    assert "（四）无法提供" not in text
    report = gd.parse(text)
    assert report == want
    for form in ("libpdf-pdfplumber", "libpdf-pdftotext-layout"):
        got = gd.parse((CORPUS / form / "00-2021-township.txt").read_text("utf-8"))
        expected = gd.Report.from_json((EXPECTED / "00-2021-township.json").read_text("utf-8"))
        assert got.applications.other_processing == expected.applications.other_processing, form


def test_a_label_interleaved_with_its_group_caption_is_read() -> None:
    """``(四`` / ``)无`` / ``1.本`` / ``机关`` / numbers / ``法提`` / ``供`` / ``不掌`` …: the caption
    ``(四)无法提供`` and the label ``1.本机关不掌握相关政府信息``, each in two blocks."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    text = _interleave(render(want, "newline"), random.Random(7), across=False)
    assert "（四）无法提供" not in text
    report = gd.parse(text)
    assert report == want


def test_a_label_interleaved_with_its_caption_whose_ordinal_is_alone_is_read() -> None:
    """``(四`` / ``)无`` / ``1.`` / ``本`` / ``机关`` / numbers / ``法提供`` / ``不掌`` …
    (pypdfium2): the ordinal alone looks like a piece of a number; it joins the label piece
    after it because the pieces before the numbers start exactly one row's label."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    text = _interleave(render(want, "newline"), random.Random(7), across=False, ordinal_alone=True)
    assert re.search(r"\n1\.\n本\n?", text) or re.search(r"\n1\.\n\S+\n", text)
    report = gd.parse(text)
    assert report == want


def _labels_apart(text: str, rnd: random.Random, order: str) -> str:
    """Some consecutive rows of table 三 printed as a PDF's reading order gives them: their
    labels first, then their numbers (``rows``: row by row; ``columns``: column by column,
    which the reader must never take for rows); ``numbers_first``: the other way round."""
    lines = text.split("\n")
    rows = []  # (label line, first number line) of each table-三 row with seven numbers
    for k, line in enumerate(lines):
        block = lines[k + 1 : k + 8]
        if (len(block) == 7 and all(re.fullmatch(r"\d+", b.strip()) for b in block)
                and not re.fullmatch(r"[\d.,]+", line.strip())):
            rows.append(k)
    rows = [k for k in rows if k + 8 >= len(lines) or not re.fullmatch(r"\d+", lines[k + 8].strip())]
    if len(rows) < 2:
        return text
    a = rnd.randrange(len(rows) - 1)
    b = rnd.randrange(a + 2, min(len(rows), a + 6) + 1)
    chosen = rows[a:b]
    if any(y != x + 8 for x, y in zip(chosen, chosen[1:])):
        return text  # not consecutive lines (a caption between): left as it is
    labels = [lines[k] for k in chosen]
    numbers = [[lines[k + 1 + c] for c in range(7)] for k in chosen]
    if order == "columns":
        flat = [numbers[r][c] for c in range(7) for r in range(len(chosen))]
    else:
        flat = [n for row in numbers for n in row]
    block = [*flat, *labels] if order == "numbers_first" else [*labels, *flat]
    lines[chosen[0] : chosen[-1] + 8] = block
    return "\n".join(lines)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=80)
@given(
    report=reports(consistent=True),
    order=st.sampled_from(["rows", "columns", "numbers_first"]),
    breaking=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_numbers_printed_apart_from_their_labels_never_give_a_wrong_number(
    report: gd.Report, order: str, breaking: bool, seed: int
) -> None:
    """Also with numbers broken over two lines (``1,46`` / ``1``, ``14`` / ``7``) anywhere."""
    rnd = random.Random(seed)
    text = _labels_apart(render(report, "newline"), rnd, order)
    if breaking:
        for _ in range(rnd.randint(1, 4)):
            text, _touched = _mutate(text, rnd, "break")
    _check_against(gd.parse(text), report, f"labels apart ({order}{', broken' if breaking else ''})")


def test_numbers_printed_apart_from_their_labels_are_read_between_rows_read() -> None:
    """pdftotext's reading order: ``3.其他`` / ``(七)总计`` / 14 numbers: the numbers between
    the rows read before and after go to the rows between, in order, when their count is
    exact and every row's sum holds."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(want, "newline").split("\n")
    other = next(k for k, line in enumerate(lines) if line.strip() == "3.其他")
    assert lines[other + 8].strip() == "（七）总计"
    lines[other : other + 16] = [lines[other], lines[other + 8], *lines[other + 1 : other + 8],
                                 *lines[other + 9 : other + 16]]
    report = gd.parse("\n".join(lines))
    assert report == want
    inferred = {i.path for i in report.issues if i.code == "value.inferred"}
    assert inferred == {"applications.other_processing.other", "applications.total"}
    # a blank cell printed as a dash counts as nothing in its row's sum, as a 0 would
    dashed = list(lines)
    assert dashed[other + 4].strip() == "0"
    dashed[other + 4] = dashed[other + 4].replace("0", "—")
    report = gd.parse("\n".join(dashed))
    assert report.applications.other_processing.other.research is None
    assert report.applications.total == want.applications.total
    # one number fewer: the count is not exact, nothing is taken
    del lines[other + 5]
    report = gd.parse("\n".join(lines))
    assert report.applications.total == type(report.applications.total)()
    assert report.applications.other_processing.other == type(report.applications.other_processing.other)()


def test_a_label_whose_optional_rest_is_printed_in_pieces_takes_the_numbers_after_it() -> None:
    """``(二)部分公开`` / ``(区分处理的,只计这一情`` / ``形,不计`` / ``其他情形)`` / numbers."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(want, "newline").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("（二）部分公开"))
    lines[k : k + 1] = ["（二）部分公开（区分处理的，只计这一情", "形，不计", "其他情形）"]
    regulations = lines.index("规章")
    del lines[regulations : regulations + 4]  # table 二 without its 规章 row: read row by row
    report = gd.parse("\n".join(lines))
    assert any(i.code == "parse.recovered" for i in report.issues)
    assert report.applications.partially_granted == want.applications.partially_granted
    # read as printed after its label, not placed by arithmetic
    assert not [i for i in report.issues if i.path == "applications.partially_granted"]


def test_a_sub_rows_ordinal_on_a_line_of_its_own_is_part_of_its_label() -> None:
    """pypdfium2 on a narrow column: ``2.`` / ``其`` / ``他法`` … — the ordinal alone looks
    like a piece of a number; it is the start of the label when the pieces make one."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(want, "newline").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("2.其他法律"))
    lines[k : k + 1] = ["2.", "其", "他法律行政法规禁止公开"]
    regulations = lines.index("规章")
    del lines[regulations : regulations + 4]  # read row by row
    report = gd.parse("\n".join(lines))
    assert report.applications.denied == want.applications.denied
    assert report.applications.denied.prohibited_by_law == want.applications.denied.prohibited_by_law


def test_a_label_printed_after_its_numbers_does_not_take_the_next_rows() -> None:
    """``3.危及…`` / its 7 numbers / the next row's 7 numbers / ``保护第三方合法权益`` / 7 more
    numbers (a label wrapped after its numbers, the row after it without a label): the
    numbers after the label add up, but they may be the next row's; the row is not read."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(want, "newline").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("4.保护第三方"))
    assert lines[k + 8].startswith("5.属于三类")
    third, internal = lines[k + 1 : k + 8], lines[k + 9 : k + 16]
    lines[k : k + 16] = [*third, "保护第三方合法权益", *internal]
    report = gd.parse("\n".join(lines))
    _check_against(report, want, "label after its numbers")
    assert report.applications.denied.third_party_rights == type(report.applications.denied.third_party_rights)()


@pytest.mark.parametrize("layout", ["pipe", "newline"])
def test_a_number_missing_from_table_four_one_number_a_line_is_not_filled_by_splitting_another(layout: str) -> None:
    """Table 四 one number a line with 23 (复议 总计) left out: fourteen numbers, and splitting
    17 into 1 and 7 makes every group add up (0 + 6 + 0 + 1 = 7).  The lines kept the
    separators, so no two numbers were glued there: the table is not read.  Flattened onto
    one line with the separators lost, the glued run is still split by the groups' sums."""
    data = json.loads(gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt").to_json())
    data["appeals"] = {
        group: dict(zip(["upheld", "corrected", "other", "pending", "total"], numbers)) for group, numbers in (
            ("review", [0, 6, 0, 17, 23]), ("litigation_direct", [3, 1, 0, 200, 204]),
            ("litigation_after_review", [38, 68, 1, 0, 107]))}
    want = gd.Report.from_json(json.dumps(data))
    lines = render(want, layout).split("\n")
    at = max(k for k, line in enumerate(lines) if line.strip(" |") == "23")
    del lines[at]
    got = gd.parse("\n".join(lines))
    assert all(value is None for address, value in got.cells() if address.startswith("appeals."))
    assert any(i.path == "appeals" and i.code == "parse.row_unreadable" for i in got.issues)
    assert got.applications == want.applications


def test_a_report_without_table_four_blames_table_four() -> None:
    """The tables before are complete: the error names table 四, not table 三."""
    text = (Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt").read_text("utf-8")
    cut = text[: text.index("四、政府信息公开行政复议")]
    with pytest.raises(gd.ParseError) as err:
        gd.parse(cut, strict=True)
    assert err.value.code == "text.truncated"
    assert err.value.message.startswith("table 四:") and "table 三, which is complete" in err.value.message
    report = gd.parse(cut)
    assert [i.path for i in report.issues if i.code == "parse.table_missing"] == ["appeals"]


def test_a_caption_inside_running_text_is_not_reported_absent() -> None:
    text = "本机关2022年度报告。二、主动公开政府信息情况 第二十条第（一）项 信息内容 然后文字结束。\n其他内容\n"
    with pytest.raises(gd.ParseError) as err:
        gd.parse(text)
    assert err.value.code == "tables.none" and err.value.line == 1
    assert "printed inside a line of text" in err.value.message and "does not look like" not in err.value.message


def test_a_label_after_a_captions_tail_and_around_its_numbers_is_read() -> None:
    """w3m of a table whose caption column wraps beside the label column: ``理结果`` (the
    tail of ``三、本年度办理结果``) / ``(二)部分公开(`` / numbers / ``区分处理的,只计`` /
    ``这一情形,不计其`` / ``他情形)``."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(want, "newline").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("（二）部分公开"))
    numbers = lines[k + 1 : k + 8]
    lines[k : k + 8] = ["年度办", "理结果", "（二）部分公开（", *numbers, "区分处理的，只计", "这一情形，不计其", "他情形）"]
    regulations = lines.index("规章")
    del lines[regulations : regulations + 4]  # read row by row
    report = gd.parse("\n".join(lines))
    assert report.applications.partially_granted == want.applications.partially_granted
    assert not [i for i in report.issues if i.path == "applications.partially_granted"]


def _two_columns(
    text: str, width: int, lag: int, tight: bool = False, high_total: bool = False, results: bool = False
) -> str:
    """Table 三's group captions and row labels as ``pdftotext -layout`` prints them from
    narrow cells: a caption column and a label column, each wrapped ``width``
    characters a line, the row's numbers on its first line.  With ``lag`` the caption
    starts ``lag`` lines late (a caption centred over its rows runs into the next row).
    With ``tight`` one space separates the columns and the numbers, as pdfplumber and
    pypdfium2 print them (``(三 1.属 9 0 0 0 0 0 9`` / ``)不 于国`` …).  With ``high_total``
    (not tight) a row under a group caption has only its 总计 on its first line, at its
    column, and the other six numbers on the second line at theirs (``(六)其 1.申请人…  18`` / ``他处理 行政机关… 4 5 9 0 0 0``).  With ``results``, ``三、本年度办理结果`` is a caption column too, beside
    ``(一)予以公开`` (the official template's merged cell)."""
    lines = text.split("\n")
    out: list[str] = []
    caption = ""
    k = 0
    pad = 2 * width + 6
    while k < len(lines):
        line = lines[k].strip()
        if line in _CAPTIONS and (results or line != "三、本年度办理结果") and not (
            k + 1 < len(lines) and _NUMBER_LINE.fullmatch(lines[k + 1])
        ):  # (六)其他处理 is a row of its own in the 2019 edition
            caption = line
            k += 1
            continue
        block = lines[k + 1 : k + 8]
        if len(block) == 7 and all(_NUMBER_LINE.fullmatch(b) for b in block) and not _NUMBER_LINE.fullmatch(line):
            cap = [caption[c : c + width] for c in range(0, len(caption), width)]
            cap = [""] * lag + cap if cap else []
            # an ordinal keeps a character after it (``1.属``): ``1.`` alone reads as a number
            head = width + 1 if re.match(r"\d\.", line) else width
            lab = [line[:head], *(line[c : c + width] for c in range(head, len(line), width))]
            numbers = "   ".join(b.strip() for b in block)
            split = numbers.rindex("   ") + 3  # where the 总计 starts among the numbers
            high = high_total and not tight and bool(cap)  # a row under a group caption
            for r in range(max(len(cap), len(lab), 2 if high else 1)):
                left = cap[r] if r < len(cap) else ""
                right = lab[r] if r < len(lab) else ""
                row = f"{left} {right}".strip() if tight else f"{left:<{width + 2}}{right}"
                if r == 0 and tight:
                    row += " " + " ".join(b.strip() for b in block)
                elif r == 0 and high:
                    row = row.ljust(pad + 3) + " " * split + numbers[split:]
                elif r == 0:
                    row += " " * max(3, pad - len(row)) + numbers
                elif r == 1 and high:
                    row = row.ljust(pad + 3) + numbers[: split - 3]
                out.append(row.rstrip())
            caption = ""
            k += 8
            continue
        out.append(lines[k])
        k += 1
    return "\n".join(out)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(report=reports(consistent=True), width=st.integers(2, 4), lag=st.integers(0, 2), high=st.booleans(),
       results=st.booleans())
def test_captions_and_labels_in_two_wrapped_columns_never_give_a_wrong_number(
    report: gd.Report, width: int, lag: int, high: bool, results: bool
) -> None:
    text = _two_columns(render(report, "newline"), width, lag, high_total=high, results=results)
    _check_against(gd.parse(text), report, f"two columns, width {width}, lag {lag}{', 总计 a line higher' if high else ''}"
                   f"{', 三、本年度办理结果 a column' if results else ''}")


@pytest.mark.parametrize("results", [False, True])
def test_captions_and_labels_in_two_columns_with_the_totals_a_line_higher_are_read(results: bool) -> None:
    """Every table-三 row under a group caption in two wrapped columns (caption, label) with
    its 总计 a line above its other six numbers: read by the columns the numbers stand at,
    confirmed by the whole table once the rows read apart from their labels are in.  With
    ``results`` the caption 三、本年度办理结果 is a column beside (一)予以公开, whose numbers (all 0)
    give the same row in the order printed and in the columns' order."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    text = _two_columns(render(want, "newline"), 3, 0, high_total=True, results=results)
    assert re.search(r"\n（三） +1\.属于 +\d+\n不予公 +国家秘 +\d", text)
    report = gd.parse(text)
    _check_against(report, want, "two columns, 总计 a line higher")
    assert report.applications == want.applications


def test_a_row_confirmed_again_by_the_whole_table_has_one_verdict() -> None:
    """The text of the test above with one row that no longer adds up (``13`` printed
    ``14``): the rows at two heights wait for the whole table twice (before and after the
    总计 row is read apart from its label) and stay unread, each with one issue, not two."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = _two_columns(render(want, "newline"), 3, 0, high_total=True).split("\n")
    k = next(i for i, line in enumerate(lines) if line.strip().startswith("2.其他"))
    assert lines[k].endswith("   13")
    lines[k] = lines[k][:-2] + "14"
    report = gd.parse("\n".join(lines))
    assert report.applications.denied.state_secret.total is None
    issues = [(i.path, i.code) for i in report.issues]
    assert ("applications.denied.state_secret", "parse.row_unreadable") in issues
    assert len(issues) == len(set(issues)), sorted(issues)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(report=reports(consistent=True), width=st.integers(1, 4), lag=st.integers(0, 2))
def test_captions_fused_with_label_lines_never_give_a_wrong_number(
    report: gd.Report, width: int, lag: int
) -> None:
    text = _two_columns(render(report, "newline"), width, lag, tight=True)
    _check_against(gd.parse(text), report, f"tight columns, width {width}, lag {lag}")


@pytest.mark.parametrize(("form", "printed"), [
    ("lopdf-pdfplumber", "三、 （一）予以公 0 0 0 0 3 6 9"),
    ("lopdf-pdftotext-layout", "三、  （一）予以公   0   0    0   0     3    6    9"),
])
def test_a_caption_fused_with_the_lines_of_its_labels_is_taken_out(form: str, printed: str) -> None:
    """pdfplumber on a LibreOffice PDF: ``三、 （一）予以公 0 0 0 0 3 6 9`` / ``本年 开`` /
    ``度办 （二）部分公 0 0 0 4 8 0 12`` / ``理结 开（区分处理`` / ``果 的，只计这一`` …, and
    ``pdftotext -layout``, the same with the columns apart."""
    text = (CORPUS / form / "03-2019-township.txt").read_text("utf-8")
    assert printed in text
    expected = gd.Report.from_json((EXPECTED / "03-2019-township.json").read_text("utf-8"))
    got = gd.parse(text)
    for row in ("granted", "partially_granted"):
        assert getattr(got.applications, row) == getattr(expected.applications, row)
    assert got.applications.denied.state_secret == expected.applications.denied.state_secret
    assert got.applications.unable.not_held == expected.applications.unable.not_held


def test_a_label_wrapped_beside_its_groups_caption_is_read() -> None:
    """``(三  1.属   0   9 …`` / ``)不  于国`` / ``予公  家秘`` / ``开   密``: the caption's
    pieces stand left of the label's column."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    text = _two_columns(render(want, "newline"), 2, 0)
    assert "（三）不予公开" not in text
    report = gd.parse(text)
    assert report.applications == want.applications


def test_numbers_wrapped_in_their_cells_under_their_columns_are_joined_when_the_row_adds_up() -> None:
    """``pdftotext -layout`` of a city report: ``14758`` and ``39961`` too wide for their
    cells, their last digits on the next line under their columns, beside the rest of
    the wrapped label."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    data = want.to_dict()
    data["applications"]["new_received"] = dict(zip(
        ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"],
        [14758, 1992, 7519, 3614, 7627, 4451, 39961]))
    want = gd.Report.from_dict(data)
    lines = render(want, "space").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    first = "一、本年新收政府信息   1475 1992 7519 3614     7627   4451   3996"
    second = "公开申请数量" + " " * (first.index("1475") - 6) + "8" + " " * (first.index("3996") - first.index("1475") - 1) + "1"
    assert second.index("8") == first.index("1475") and second.index("1", 7) == first.index("3996")
    lines[k : k + 1] = [first, second]
    report = gd.parse("\n".join(lines))
    assert report.applications.new_received == want.applications.new_received
    (note,) = [i for i in report.issues if i.path == "applications.new_received"]
    assert note.code == "value.inferred" and "under its column" in note.message
    # a tail that stands under no number, or a row that then does not add up: not read
    gap = first.index("3614") + 6  # between two columns, under no number
    off = second[: first.index("1475")] + " " * (gap - first.index("1475")) + "8" + " " * (len(second) - gap - 1)
    off = off[: first.index("3996")] + "1"
    for moved in (off, second[:-1] + "2"):
        lines[k + 1] = moved
        report = gd.parse("\n".join(lines))
        row = report.applications.new_received
        assert all(v is None for v in (row.natural_person, row.total)), moved


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(
    report=reports(consistent=True),
    alone=st.booleans(),
    kind=st.sampled_from(["none", "delete"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_labels_in_narrow_pieces_never_give_a_wrong_number(
    report: gd.Report, alone: bool, kind: str, seed: int
) -> None:
    """Every table-三 label two characters a line (a narrow PDF column), its ordinal on a
    line of its own with ``alone``, quotation marks moved out of place; perhaps a line
    deleted (a label piece or a number).  Every number read is the printed one."""
    rnd = random.Random(seed)
    lines = render(report, "newline").split("\n")
    for k in reversed(_rows_of_seven(lines)):
        label = lines[k].strip()
        ordinal = re.match(r"\d\.", label)
        head = 2 if (ordinal and alone) else (3 if ordinal else 2)
        pieces = [label[:head], *(label[c : c + 2] for c in range(head, len(label), 2))]
        pieces = [p.replace("“", "").replace("”", "") for p in pieces]
        if "“" in label:
            pieces[1:1] = ["“"]
            pieces.append("”")
        lines[k : k + 1] = [p for p in pieces if p]
    if kind == "delete":
        del lines[rnd.randrange(len(lines))]
    _check_against(gd.parse("\n".join(lines)), report, f"narrow pieces ({kind})")


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(report=reports(consistent=True), seed=st.integers(0, 2**32 - 1), shift=st.integers(-3, 3))
def test_numbers_wrapped_under_their_columns_never_give_a_wrong_number(
    report: gd.Report, seed: int, shift: int
) -> None:
    """A table-三 row in character columns whose numbers wrap in cells ``w`` wide: the
    first ``w`` characters on the row's line, the rest on the next line, placed under
    the column ``shift`` characters off; the numbers perhaps with thousands commas
    (``1,46`` / ``1``), the label perhaps whole on the first line.  Joined or unread,
    never a wrong number."""
    rnd = random.Random(seed)
    lines = render(report, "space").split("\n")
    rows = [k for k, line in enumerate(lines) if re.fullmatch(r"\S*[^\d\s,.]\S*(?: \d+){7}", line)]
    if not rows:
        return
    k = rnd.choice(rows)
    label, *numbers = lines[k].split(" ")
    if rnd.random() < 0.5:
        numbers = [f"{int(n):,}" for n in numbers]
    width = rnd.randint(1, max(1, max(map(len, numbers)) - 1))
    column = len(label) + 3
    if rnd.random() < 0.5:
        first, second = label[: len(label) // 2] + " " * (len(label) - len(label) // 2) + "   ", label[len(label) // 2 :]
    else:
        first, second = label + "   ", ""
    for number in numbers:
        first = first.ljust(column) + number[:width]
        if len(number) > width:
            second = second.ljust(max(0, column + shift)) + number[width:]
        column += width + 3
    lines[k : k + 1] = [first.rstrip(), second.rstrip()]
    _check_against(gd.parse("\n".join(lines)), report, f"wrapped under columns (shift {shift})")


def test_json_of_a_partial_report_keeps_none() -> None:
    report, _ = _damaged("fragment_table4_2021")
    data = json.loads(report.to_json())
    assert data["applications"]["total"]["total"] is None
    assert gd.Report.from_json(report.to_json()) == report


# --- two copies of the tables ---------------------------------------------------------------


def _two_copies(change: bool) -> tuple[gd.Report, str]:
    base = gd.parse_file(Path(__file__).parents[1] / "examples" / "pipes_2021.txt")
    text = render(base, "pipe")
    data = base.to_dict()
    if change:
        data["applications"]["granted"]["research"] += 1
        data["applications"]["granted"]["total"] += 1
        data["appeals"]["review"]["upheld"] += 1
        data["appeals"]["review"]["total"] += 1
    second = render(gd.Report.from_dict(data), "pipe")
    start = second.index("二、主动公开政府信息情况")
    return base, text + "\n打印版\n" + second[start:]


def test_equal_copies_of_the_tables_are_fine() -> None:
    base, text = _two_copies(change=False)
    assert gd.parse(text, strict=True) == base
    assert gd.parse(text).complete


def test_copies_that_disagree_are_never_a_silent_choice() -> None:
    base, text = _two_copies(change=True)
    with pytest.raises(gd.ParseError) as info:
        gd.parse(text, strict=True)
    assert info.value.code == "tables.conflicting_copy"
    report = gd.parse(text)
    assert not report.complete
    assert report.applications.granted.research is None and report.appeals.review.upheld is None
    conflicts = {i.path: i for i in report.issues if i.code == "parse.conflicting_copy"}
    assert set(conflicts) == {"applications.granted", "appeals"}
    # the rows both copies agree on are read
    assert report.applications.new_received == base.applications.new_received
    assert report.active_disclosure == base.active_disclosure


def test_a_text_ending_right_after_table_four_may_be_truncated() -> None:
    base = gd.parse_file(Path(__file__).parents[1] / "examples" / "pipes_2021.txt")
    text = render(base, "newline")
    cut = text[: text.index("五、")].rstrip()
    last = str(base.appeals.litigation_after_review.total)
    assert cut.endswith(last)
    report = gd.parse(cut[:-1] if len(last) > 1 else cut)
    (issue,) = [i for i in report.issues if i.code == "text.may_be_truncated"]
    assert issue.severity == "warning" and issue.path == "appeals" and issue.line == len(cut.split("\n"))
    assert not [i for i in gd.parse(text).issues if i.code == "text.may_be_truncated"]


def _table_three_rows(lines: list[str], blanks: bool = False) -> list[int]:
    """The lines of a ``space`` rendering holding a table-三 row: a label, then 7 numbers
    (with ``blanks``, some of them perhaps ``—``)."""
    cell = _NUMBER_OR_BLANK if blanks else _NUMBER_LINE
    return [k for k, line in enumerate(lines)
            if len(parts := line.split()) >= 8 and all(cell.fullmatch(p) for p in parts[-7:])
            and not cell.fullmatch(parts[-8])]


def _blanked(report: gd.Report, rnd: random.Random, blanks: int) -> gd.Report:
    """``report`` with as many cells of table 三 that hold 0 printed blank (``—``, which
    adds up as a 0 does)."""
    zeros = [a for a, v in report.cells() if a.startswith("applications.") and v == 0]
    if not blanks or not zeros:
        return report
    data = report.to_dict()
    for address in rnd.sample(zeros, min(blanks, len(zeros))):
        *path, name = address.split(".")
        node = data
        for part in path:
            node = node[part]
        node[name] = None
    return gd.Report.from_dict(data)


def _rows_to_print(lines: list[str], rnd: random.Random, rows: int) -> list[int]:
    """``rows`` lines of table-三 rows of a ``space`` rendering, those with a blank first,
    from the last up (so that each may be replaced by several)."""
    three = _table_three_rows(lines, blanks=True)
    dashed = [k for k in three if "—" in lines[k]]
    chosen = dashed[:rows] + rnd.sample([k for k in three if k not in dashed], max(0, rows - len(dashed)))
    return sorted(chosen, reverse=True)


def _only_the_reports_numbers(got: gd.Report, report: gd.Report, printed: Optional[dict[str, Any]] = None) -> None:
    """Every number read is the report's (or, at the addresses of ``printed``, the one
    printed there instead); every cell left empty has an issue."""
    want = {**dict(report.cells()), **(printed or {})}
    for address, value in got.cells():
        if value is None:
            if want[address] is not None:
                assert _explained(got, address), f"{address} is None without an issue"
            continue
        assert value == want[address], f"{address} read {value!r}, the report's is {want[address]!r}"


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    report=reports(consistent=True),
    seed=st.integers(0, 2**32 - 1),
    shuffle=st.booleans(),
    rows=st.integers(1, 4),
    blanks=st.integers(0, 4),
)
def test_rows_over_uneven_lines_never_give_a_wrong_number(
    report: gd.Report, seed: int, shuffle: bool, rows: int, blanks: int
) -> None:
    """Table-三 rows printed over lines of different lengths (PDF text of cells whose
    contents sit at different heights), in the columns' order or not (``shuffle``: each
    cell at one of three heights, each line printing its cells left to right, the lines
    from the top): a row is read only when the sums confirm the order, so every number
    read is the report's.
    ``blanks``: as many cells of table 三 that hold 0 printed blank (``—``), which adds
    up as a 0 does; the rows so printed are among those spread over lines."""
    rnd = random.Random(seed)
    report = _blanked(report, rnd, blanks)
    lines = render(report, "space").split("\n")
    for k in _rows_to_print(lines, rnd, rows):
        parts = lines[k].split()
        label, values = parts[:-7], parts[-7:]
        if shuffle:  # each cell at one of three heights: a line left to right, the lines top down
            heights = [rnd.randrange(3) for _ in values]
            groups = [g for h in range(3) if (g := [v for v, at in zip(values, heights) if at == h])]
        else:
            cuts = sorted(rnd.sample(range(1, 7), rnd.randint(1, 2)))
            groups = [values[a:b] for a, b in zip([0, *cuts], [*cuts, 7])]
        if len({len(g) for g in groups}) == 1:
            groups = [values[:1], values[1:]]
        # the label's last character after the numbers (a label wrapped in its cell), as
        # PDF text of such rows prints it: the strict reader, which trusts the order
        # printed, does not read the table then
        *head, last = label
        lines[k : k + 1] = [" ".join([*head, last[:-1], *groups[0]]), *(" ".join(g) for g in groups[1:]), last[-1]]
    got = gd.parse("\n".join(lines))
    assert any(i.code == "parse.recovered" for i in got.issues)
    _only_the_reports_numbers(got, report)


def test_a_label_split_around_numbers_does_not_take_the_numbers_of_a_row_whose_label_follows_them() -> None:
    """``5.`` / its numbers / ``要求…已获取信息`` / the next row's numbers / ``（六）其他处理``:
    the numbers after the label's rest are the next row's, printed before its label; they
    add up as a row, so only their place tells, and it does not."""
    base = gd.parse_file(Path(__file__).parents[1] / "examples" / "tabs_2019.txt")
    lines = render(base, "newline").split("\n")
    at = lines.index("5.要求行政机关确认或重新出具已获取信息")
    own, label, nxt = lines[at + 1 : at + 8], lines[at + 8], lines[at + 9 : at + 16]
    assert label == "（六）其他处理"
    lines[at : at + 16] = ["5. " + " ".join(own), "要求行政机关确认或重新出具已获取信息", *nxt, label]
    report = gd.parse("\n".join(lines))
    row = report.applications.not_processed.confirmation
    assert row in (base.applications.not_processed.confirmation, type(row)())
    assert report.applications.other_processing in (base.applications.other_processing, type(row)())


def test_numbers_between_a_header_tail_and_a_label_are_not_that_labels() -> None:
    """``二、`` / ``结转`` … ``数量`` (a label with a piece lost) / its numbers /
    ``三、本年度办理结果`` / ``(一`` / ``)予`` / ``以公`` / ``开`` / the row's own numbers: the
    numbers before ``(一)予以公开`` are not its, though ``数量`` ends a column header."""
    base = gd.parse_file(Path(__file__).parents[1] / "examples" / "tabs_2019.txt")
    lines = render(base, "newline").split("\n")
    for label in ("二、上年结转政府信息公开申请数量", "（一）予以公开"):
        at = lines.index(label)
        pieces = [label[c : c + 2] for c in range(0, len(label), 2)]
        lines[at : at + 1] = [p for p in pieces if p != "上年"]
    report = gd.parse("\n".join(lines))
    assert report.applications.granted in (base.applications.granted, type(base.applications.granted)())
    assert report.applications.carried_over == type(base.applications.carried_over)()


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    report=reports(consistent=True),
    seed=st.integers(0, 2**32 - 1),
    split_label=st.booleans(),
    rows=st.integers(1, 4),
    blanks=st.integers(0, 4),
)
def test_numbers_with_their_wrapped_rests_on_the_next_line_never_give_a_wrong_number(
    report: gd.Report, seed: int, split_label: bool, rows: int, blanks: int
) -> None:
    """Table-三 rows of cells too narrow for their widest numbers, as pdfplumber and
    pypdfium2 print them: every cell's first line on the row's line, the rests of the
    numbers that wrapped on the next line (``1412 … 4003`` / ``1 4``), the label perhaps
    wrapped too (``一、本年新收政府信息 1475 … 3996`` / ``公开申请数量 8 1``), perhaps with
    blank cells (``blanks``, :func:`_blanked`).  Every number read is the report's."""
    rnd = random.Random(seed)
    report = _blanked(report, rnd, blanks)
    lines = render(report, "space").split("\n")
    for k in _rows_to_print(lines, rnd, rows):
        parts = lines[k].split()
        label, values = parts[:-7], parts[-7:]
        width = max(1, max(map(len, values)) - rnd.randint(1, 2))
        heads = [v[:width] for v in values]
        rests = [v[width:] for v in values if len(v) > width]
        if not rests:
            continue
        *head, last = label
        if split_label and len(last) > 2:
            cut = rnd.randint(1, len(last) - 1)
            lines[k : k + 1] = [" ".join([*head, last[:cut], *heads]), " ".join([last[cut:], *rests])]
        else:
            lines[k : k + 1] = [" ".join([*label, *heads]), " ".join(rests)]
    got = gd.parse("\n".join(lines))
    _only_the_reports_numbers(got, report)


def test_rests_of_wrapped_numbers_on_the_next_line_are_joined_when_the_table_adds_up() -> None:
    """pdfplumber on a LibreOffice PDF: ``一、本年新收政府信息 1475 1992 … 3996`` /
    ``公开申请数量 8 1`` and ``（七）总计 1412 … 4003`` / ``1 4``."""
    text = (CORPUS / "lopdf-pdfplumber" / "02-2021-city.txt").read_text("utf-8")
    assert "公开申请数量 8 1" in text and "\n1 4\n" in text
    expected = gd.Report.from_json((EXPECTED / "02-2021-city.json").read_text("utf-8"))
    got = gd.parse(text)
    for row in ("new_received", "granted", "total"):
        assert getattr(got.applications, row) == getattr(expected.applications, row)
        (note,) = [i for i in got.issues if i.path == f"applications.{row}"]
        assert note.code == "value.inferred"


def test_digits_under_a_line_of_numbers_are_not_a_row_with_blanks() -> None:
    """``3.     2   0   7   7   0   3   1`` / ``其他    2           1           03``: a label
    wrapped after its ordinal and numbers wrapped in their cells; the second line looks
    like the row 其他 with blanks, but its digits stand under numbers no row takes."""
    base = gd.parse_file(Path(__file__).parents[1] / "examples" / "newline_2021.txt")
    data = base.to_dict()
    names = ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"]
    data["applications"]["other_processing"]["other"] = dict(zip(names, [22, 0, 71, 7, 0, 3, 103]))
    data["applications"]["other_processing"]["overdue_fee"] = dict(zip(names, [0, 0, 0, 7, 4, 1, 12]))
    data["applications"]["total"] = dict(zip(names, [336, 262, 205, 592, 400, 670, 2465]))
    base = gd.Report.from_dict(data)
    lines = render(base, "space").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("3.其他 "))
    assert lines[k].split()[1:] == ["22", "0", "71", "7", "0", "3", "103"]
    # as a property test printed it: the rests one column left of their numbers
    lines[k : k + 1] = ["3.     2   0   7   7   0   3   1", "其他    2           1           03"]
    report = gd.parse("\n".join(lines))
    row = report.applications.other_processing.other
    assert row in (base.applications.other_processing.other, type(row)())


@pytest.mark.parametrize(("row", "first", "second"), [
    # the total cut where the line ends, its rest after the label's closing quote
    ("3.危及“三安全一稳定”", "3.危及“三安全一稳定 5 0 0 0 9 0 1", "” 4"),
    # a label printed around its numbers: the first lines of the cells, then the rests
    ("一、本年新收政府信息公开申请数量", "一 25 38 37 64 54 40 25", "、本年新收政府信息公开申请数量 0 2 2 0 1 8 93"),
])
def test_a_row_that_does_not_add_up_beside_stray_digits_is_not_read(row: str, first: str, second: str) -> None:
    """Two rows as PDF text of narrow cells prints them, each found by a property test
    as a wrong read: the numbers after the label add up to nothing, and digits no row
    takes stand next to them."""
    base = gd.parse_file(Path(__file__).parents[1] / "examples" / "newline_2021.txt")
    lines = render(base, "space").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith(row + " "))
    lines[k : k + 1] = [first, second]
    report = gd.parse("\n".join(lines))
    address = {"3.危及“三安全一稳定”": "applications.denied.security_stability",
               "一、本年新收政府信息公开申请数量": "applications.new_received"}[row]
    obj = report.applications
    for name in address.split(".")[1:]:
        obj = getattr(obj, name)
    assert obj == type(obj)()
    assert any(i.path == address and i.code == "parse.row_unreadable" for i in report.issues)



def test_a_row_that_adds_up_both_as_printed_and_with_its_rests_joined_is_not_read_as_printed() -> None:
    """``1.信访举 0 13 0 0 0 0 13`` / ``报投诉类申请 16 16``: 13 … 13 adds up, and so does
    1316 … 1316 with the rests after the label's rest joined; the table decides, and as
    printed is never taken.  The text is the one a property test found read as 13 (the
    next row's ordinal, cut off, stands right after the rests)."""
    text = (Path(__file__).parent / "fixtures" / "partial" / "rests_after_a_label_around_numbers.txt").read_text("utf-8")
    assert "（五）不予处理 1.信访举 0 13 0 0 0 0 13\n报投诉类申请 16 16\n2 7 0" in text
    row = gd.parse(text).applications.not_processed.complaint
    assert row.commercial in (None, 1316) and row.total in (None, 1316)


def test_rests_of_every_number_after_a_label_printed_around_them_are_not_a_row() -> None:
    """``一、 113 187 575 438 353 167 753`` / ``本年新收政府信息公开申请数量 14 8 6 9 02 60 99``:
    every number wrapped, the label around them; the rests after the label's rest add up
    by chance (14 + 8 + 6 + 9 + 2 + 60 = 99), but ``02`` is no count.  Found by a long
    property run."""
    text = (Path(__file__).parent / "fixtures" / "partial" / "every_number_wrapped_around_its_label.txt").read_text(
        "utf-8")
    assert "\n本年新收政府信息公开申请数量 14 8 6 9 02 60 99\n" in text
    row = gd.parse(text).applications.new_received
    assert row.natural_person in (None, 11314) and row.total in (None, 75399)


def test_rests_of_every_number_after_a_label_printed_around_them_are_not_a_row_without_a_leading_zero() -> None:
    """The same text with rests that add up and hold no leading zero (``2`` for ``02``):
    the label's first piece ``一、`` and a row's worth of numbers no row takes stand before
    its rest, which is a whole label; which run is the row's cannot be told."""
    text = (Path(__file__).parent / "fixtures" / "partial" / "every_number_wrapped_around_its_label.txt").read_text(
        "utf-8").replace(" 14 8 6 9 02 60 99\n", " 14 8 6 9 2 60 99\n")
    assert "\n本年新收政府信息公开申请数量 14 8 6 9 2 60 99\n" in text
    report = gd.parse(text)
    row = report.applications.new_received
    assert row.natural_person in (None, 11314) and row.total in (None, 75399)
    assert any(i.code == "parse.row_unreadable" and i.path == "applications.new_received" and "一、" in i.message
               for i in report.issues)


def _cells_at_two_heights(text: str, rnd: random.Random, rows: int, order: str) -> str:
    """Some table-三 rows laid out in character columns (``pdftotext -layout``), each
    over three lines as a label wrapped in its cell gives it, with some of the row's
    numbers a line higher than the others (cells whose contents sit at different
    heights: ``(二)部分公开(区分处理的,只计这一情      16`` / ``0  3  9  4  0  0``).  Every
    number stands at its column.  ``order`` says which cells go higher: ``total`` (the
    总计 column only), ``some`` (any), ``before`` (the higher line printed after the
    lower one, so the text's order and the columns' differ twice)."""
    lines = render(text, "space").split("\n") if not isinstance(text, str) else text.split("\n")
    three = _table_three_rows(lines)
    for k in sorted(rnd.sample(three, min(rows, len(three))), reverse=True):
        parts = lines[k].split()
        label, values = "".join(parts[:-7]), parts[-7:]
        cut = max(1, len(label) // 3)
        pieces = [label[:cut], label[cut : 2 * cut], label[2 * cut :]]
        if order == "total":
            high = {6}
        else:
            high = set(rnd.sample(range(7), rnd.randint(1, 6)))
        out = ["", "", ""]
        for r in range(3):
            out[r] = pieces[r].ljust(len(label) + 4)
        for c, value in enumerate(values):
            r = 0 if c in high else 1
            out[r] = out[r].ljust(len(label) + 4 + 8 * c) + value
        if order == "before":
            out[0], out[1] = out[1], out[0]
        lines[k : k + 1] = [line.rstrip() for line in out]
    return "\n".join(lines)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=80)
@given(
    report=reports(consistent=True),
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(1, 5),
    order=st.sampled_from(["total", "some", "before"]),
)
def test_cells_at_two_heights_in_columns_never_give_a_wrong_number(
    report: gd.Report, seed: int, rows: int, order: str
) -> None:
    """Table-三 rows in character columns with some numbers a line above the others: a
    row is read in its columns' order only when that order alone adds up and the whole
    table then adds up; every number read is the report's."""
    text = _cells_at_two_heights(render(report, "space"), random.Random(seed), rows, order)
    _only_the_reports_numbers(gd.parse(text), report)


def test_a_total_printed_a_line_above_its_row_is_read_in_its_column() -> None:
    """``(二)部分公开(区分处理的,只计这一情      13`` / ``0  0  0  0  9  4`` / ``形,不计其他情形)``:
    the 总计 cell's number sits a line higher; placed by its column, the row and the
    whole table add up (``value.inferred``).  With the 总计 in another column, the row
    does not add up in the columns' order and is not read."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(want, "space").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("（二）部分公开"))
    *numbers, total = lines[k].split()[-7:]
    assert int(total) and len(set(numbers)) > 1
    at = 30
    low = " " * at + "".join(n.ljust(8) for n in numbers)
    for column, read in ((at + 8 * 6, True), (at + 8 * 6 - 3, True), (at + 8 * 2 + 3, False)):
        high = "（二）部分公开（区分处理的，只计这一情".ljust(column) + total
        lines[k : k + 1] = [high, low.rstrip(), "形，不计其他情形）"]
        report = gd.parse("\n".join(lines))
        del lines[k + 1 : k + 3]
        row = report.applications.partially_granted
        if read:
            assert report.applications == want.applications, column
            (note,) = [i for i in report.issues if i.path == "applications.partially_granted"]
            assert note.code == "value.inferred" and "columns they stand at" in note.message
        else:
            assert row == type(row)(), column


def test_a_caption_and_label_in_columns_with_a_number_a_line_higher_are_read() -> None:
    """``pdftotext -layout`` of the official template: ``(六)其 1.申请人无正当理由逾期不补正、  18`` /
    ``他处理 行政机关不再处理其政府信息公开 4 5 9 0 0 0`` / ``申请``, and ``三、本`` / ``年度办 (二)部分公开…  16``
    / ``0 3 9 4 0 0`` / ``理结果 形,不计其他情形)``: caption and label in two columns, the
    总计 a line above the other numbers."""
    text = (CORPUS / "tplpdf-pdftotext-layout" / "00-2021-township.txt").read_text("utf-8")
    expected = gd.Report.from_json((EXPECTED / "00-2021-township.json").read_text("utf-8"))
    got = gd.parse(text)
    assert got.applications == expected.applications
    assert got.complete


def test_numbers_apart_from_their_label_over_lines_of_different_lengths_are_not_taken_in_printed_order() -> None:
    """``(四)无法提供   0   0   0   1`` / ``1.本机关不掌   0   0   1`` / ``握相关…``: the row's
    numbers at two heights, printed 0 0 0 1 0 0 1 but standing in the columns 0 0 0 0 1 0 1.
    Read as numbers apart from their label (pdftotext's reading order), the order printed
    added up and gave 1 to the wrong column; found by the property test above."""
    data = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt").to_dict()

    def zero(o: object) -> object:
        if isinstance(o, dict):
            return {k: zero(v) for k, v in o.items()}
        return 0 if isinstance(o, int) and not isinstance(o, bool) else o

    data["applications"] = zero(data["applications"])
    for row in (data["applications"]["new_received"], data["applications"]["unable"]["not_held"]):
        row["legal_services"] = row["total"] = 1
    report = gd.Report.from_dict(data)
    text = _cells_at_two_heights(render(report, "space"), random.Random(0), 1, "some")
    assert re.search(r"\n（四）无法提供 +0 +0 +0 +1\n1\.本机关不掌 +0 +0 +1\n", text)
    got = gd.parse(text)
    _only_the_reports_numbers(got, report)
    assert got.applications.unable.not_held.social_welfare is None


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=80)
@given(
    report=reports(consistent=True),
    seed=st.integers(0, 2**32 - 1),
    on_label_line=st.booleans(),
    adds_up=st.booleans(),
)
def test_a_label_between_the_two_lines_of_wrapped_numbers_never_gives_a_wrong_number(
    report: gd.Report, seed: int, on_label_line: bool, adds_up: bool
) -> None:
    """A table-三 row whose every number wrapped in its cell, laid out in columns: the
    first pieces on the line above the label, the rests on the label's line or the next
    (``14,7 1,99 … 39,9`` / ``一、本年新收…`` / ``58 2 … 61``).  With ``adds_up`` the rests
    are chosen to add up as a row of their own.  Every number read is the printed one:
    the pieces joined, or nothing; never the rests alone."""
    rnd = random.Random(seed)
    lines = render(report, "space").split("\n")
    three = _table_three_rows(lines)
    k = rnd.choice(three)
    parts = lines[k].split()
    label = " ".join(parts[:-7])
    if adds_up:
        rests = [str(rnd.randint(0, 99)) for _ in range(6)]
        rests.append(str(sum(map(int, rests))))
    else:
        rests = [str(rnd.randint(0, 99)) for _ in range(7)]
    heads = [str(rnd.randint(1, 99)) for _ in range(7)]
    printed = [int(h + r) for h, r in zip(heads, rests)]
    at = len(label) + 6
    above = " " * at + "".join(h.ljust(8) for h in heads)
    below = "".join(r.ljust(8) for r in rests)
    if on_label_line:
        lines[k : k + 1] = [above.rstrip(), label.ljust(at) + below.rstrip()]
    else:
        lines[k : k + 1] = [above.rstrip(), label, " " * at + below.rstrip()]
    got = gd.parse("\n".join(lines))
    row = next(r for r in got.schema.table("applications").rows if label.endswith(r.label.split()[-1]))
    _only_the_reports_numbers(got, report, {f"{row.address}.{c.name}": v for c, v in zip(row.cells, printed)})


def test_a_label_under_a_line_of_untaken_numbers_is_not_read_from_the_line_below() -> None:
    """``12  3  45  6  7  8  81`` / ``（二）部分公开`` / ``1  2  3  4  5  6  21``: the lower line
    adds up as a row, but the label may stand between the two lines of numbers wrapped
    in their cells (121, 32, 453 …): not read."""
    base = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(base, "space").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("（二）部分公开"))

    def line(xs: list[str]) -> str:
        return (" " * 30 + "".join(x.ljust(8) for x in xs)).rstrip()

    lines[k : k + 1] = [line(["12", "3", "45", "6", "7", "8", "81"]), "（二）部分公开", line(["1", "2", "3", "4", "5", "6", "21"])]
    report = gd.parse("\n".join(lines))
    row = report.applications.partially_granted
    assert row == type(row)()
    (issue,) = [i for i in report.issues if i.path == "applications.partially_granted"]
    assert issue.code == "parse.row_unreadable" and "line of numbers no row takes" in issue.message
    assert report.applications.new_received == base.applications.new_received


def _quoted_in_narrative(text: str, rnd: random.Random, mentions: int) -> str:
    """``text`` (a ``space`` rendering) with sentences of the narrative quoting row labels
    and table 四's header with a number after each, as real reports write them
    (``全年新增公开市政府规章 1 件``, ``政府信息公开行政复议 351 件``), and one table-二 row
    left out so that the text is read row by row."""
    lines = text.split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("（一）主动公开情况"))
    words = ["规章", "行政规范性文件", "行政许可", "行政处罚", "政府信息公开行政复议", "行政诉讼", "其他"]
    for _ in range(mentions):
        lines.insert(k + 1, f"全年新增公开市政府{rnd.choice(words)} {rnd.randint(0, 999)} 件、市政府及市")
    rows = [i for i, line in enumerate(lines) if re.match(r"(规章|行政规范性文件|规范性文件|行政许可|行政处罚|行政强制) ", line)]
    del lines[rnd.choice(rows)]
    return "\n".join(lines)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(report=reports(consistent=True), seed=st.integers(0, 2**32 - 1), mentions=st.integers(1, 4))
def test_labels_quoted_in_the_narrative_never_give_a_wrong_number(report: gd.Report, seed: int, mentions: int) -> None:
    text = _quoted_in_narrative(render(report, "space"), random.Random(seed), mentions)
    _only_the_reports_numbers(gd.parse(text), report)


def test_a_label_quoted_in_the_narrative_does_not_stand_for_the_tables_row() -> None:
    """``全年新增公开市政府规章 1 件`` and ``政府信息公开行政复议 351 件`` in the narrative (a real
    2024 report's words) before a table 二 missing a row: the table's 规章 row, which prints
    its three numbers, is the one read, and table 四 is its fifteen numbers."""
    base = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(base, "space").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("（一）主动公开情况"))
    lines[k + 1 : k + 1] = ["府信息 5500 余条，全年新增公开市政府规章 1 件、市政府及市",
                            "答复），均在法定期限内予以答复。政府信息公开行政复议 351", "件，其中结果维持 72 件。"]
    del lines[next(i for i, line in enumerate(lines) if line.startswith("行政许可"))]
    report = gd.parse("\n".join(lines))
    assert report.active_disclosure.regulations == base.active_disclosure.regulations
    assert report.active_disclosure.normative_documents == base.active_disclosure.normative_documents
    assert report.appeals == base.appeals
    assert report.applications == base.applications
    assert [i.path for i in report.issues if i.severity == "error"] == ["active_disclosure.licensing"]


def _cut(number: str, width: int) -> list[str]:
    """``number`` in pieces of ``width`` characters, as a narrow cell wraps it; a
    thousands comma stays with the digits before it (``1,`` / ``001``)."""
    pieces: list[str] = []
    for i in range(0, len(number), width):
        piece = number[i : i + width]
        if piece.startswith(",") and pieces:
            pieces[-1] += ","
            piece = piece[1:]
        if piece:
            pieces.append(piece)
    return pieces


def _narrow_cells(
    report: gd.Report, rnd: random.Random, width: int, align: str, factor: int, commas: bool, page: Optional[int],
    damage: str = "none", captions: bool = False, tight: bool = False,
) -> tuple[str, dict[str, int]]:
    """The ``space`` rendering of ``report`` with table 三 as ``pdftotext -layout`` prints a table of narrow cells: every number
    (table 三's numbers times ``factor``, perhaps with thousands commas) in pieces of
    ``width`` characters, one a line, each under its column; the label on one line of
    its row's band, at its top with the cells (``top``), or centred with the cells centred
    (``centred``) or at the top (``mixed``), or the label and each cell anywhere in the
    band (``anywhere``); from line ``page`` of the table on, the columns moved right (a page
    break, with its form feed).  ``damage``: ``unbalanced``, one number one more than
    the report's; ``blank``, one cell printed empty; ``drop``, a row's lines left out;
    ``swap``, two rows' lines swapped.  With ``captions``, each label is printed without
    its group captions (三、本年度办理结果, （三）不予公开 …), which stand in two narrow
    columns before the labels, two characters a line, anywhere in their rows' lines.
    With ``tight``, each label ends one space before the first column (a label cell
    right-aligned against its numbers: ``…重新出具已 1,35``).
    Returns the text and the numbers so printed."""
    lines = render(report, "space").split("\n")
    rows = _table_three_rows(lines)
    printed: dict[str, Optional[int]] = {}
    table = report.schema.table("applications").rows
    bands: list[list[str]] = []
    labels = [" ".join(lines[k].split()[:-7]) for k in rows]
    off = 8 if captions else 0  # the caption columns' width
    left = off + max(map(len, labels)) + 2
    shift = rnd.randint(2, 9)
    spoilt = (rnd.randrange(len(rows)), rnd.randrange(7)) if damage in ("unbalanced", "blank") else None
    at = 0
    for n, (k, label) in enumerate(zip(rows, labels)):
        numbers: list[Optional[int]] = [int(p.replace(",", "")) * factor for p in lines[k].split()[-7:]]
        if spoilt is not None and spoilt[0] == n:
            value = numbers[spoilt[1]]
            numbers[spoilt[1]] = None if damage == "blank" or value is None else value + 1
        shown = ["" if v is None else f"{v:,}" if commas else str(v) for v in numbers]
        pieces = [_cut(s, width) for s in shown]
        height = max(map(len, pieces))
        middle = {"top": 0, "anywhere": rnd.randrange(height)}.get(align, (height - 1) // 2)
        band = [[" "] * (left + 8 * 7) for _ in range(height)]
        shown_label = label.split()[-1] if captions else label
        start = left - 1 - len(shown_label) if tight else off
        for c, ch in enumerate(shown_label):
            band[middle][start + c] = ch
        for j, cell in enumerate(pieces):
            top = {"top": 0, "mixed": 0, "centred": (height - len(cell)) // 2}.get(
                align, rnd.randint(0, height - len(cell)))
            for d, piece in enumerate(cell):
                for c, ch in enumerate(piece):
                    band[top + d][left + 8 * j + c] = ch
        out = []
        for line in band:
            s = "".join(line).rstrip()
            if page is not None and at >= page:
                s = s[:left] + " " * shift + s[left:] if len(s) > left else s
                if at == page:
                    s = "\f" + s
            out.append(s)
            at += 1
        bands.append(out)
        row = next(r for r in table if label.endswith(r.label.split()[-1]))
        printed.update({f"{row.address}.{c.name}": v for c, v in zip(row.cells, numbers)})
    if captions:
        _print_captions(bands, [next(r for r in table if label.endswith(r.label.split()[-1])) for label in labels],
                        rnd)
    spot = rnd.randrange(len(bands) - 1)
    if damage == "drop":
        bands[spot] = []
    elif damage == "swap":
        bands[spot], bands[spot + 1] = bands[spot + 1], bands[spot]
    for k, band in reversed(list(zip(rows, bands))):
        lines[k : k + 1] = band
    return "\n".join(lines), printed


def _print_captions(bands: list[list[str]], rows: Sequence[Any], rnd: random.Random) -> None:
    """Print table 三's group captions into the first eight characters of the lines of
    ``bands`` (one per row of ``rows``, in place): 三、本年度办理结果 over the result rows
    and 总计 at characters 0–3, each group caption of sub-rows over its sub-rows at 4–7,
    two characters a line, starting at a random line of the rows they span."""
    spans: dict[tuple[int, str], list[int]] = {}
    for n, row in enumerate(rows):
        if row.label.startswith("（"):
            spans.setdefault((0, "三、本年度办理结果"), []).append(n)
        if len(row.chain) > 1:
            spans.setdefault((4, row.label.split()[0]), []).append(n)
    for (column, caption), members in spans.items():
        at = [(n, k) for n in members for k in range(len(bands[n]))]
        pieces = [caption[i : i + 2] for i in range(0, len(caption), 2)]
        if len(pieces) > len(at):
            continue
        start = rnd.randint(0, len(at) - len(pieces))
        for (n, k), piece in zip(at[start:], pieces):
            feed, line = ("\f", bands[n][k][1:]) if bands[n][k].startswith("\f") else ("", bands[n][k])
            line = line.ljust(column + 4)
            bands[n][k] = feed + (line[:column] + piece.ljust(4) + line[column + 4 :]).rstrip()


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=80)
@given(
    report=reports(consistent=True),
    seed=st.integers(0, 2**32 - 1),
    width=st.integers(1, 4),
    align=st.sampled_from(["top", "centred", "mixed", "anywhere"]),
    factor=st.sampled_from([1, 7, 1013]),
    commas=st.booleans(),
    page=st.one_of(st.none(), st.integers(0, 60)),
    damage=st.sampled_from(["none", "none", "drop", "swap", "unbalanced", "blank"]),
    captions=st.booleans(),
    tight=st.booleans(),
)
def test_numbers_in_pieces_over_the_lines_of_narrow_cells_never_give_a_wrong_number(
    report: gd.Report, seed: int, width: int, align: str, factor: int, commas: bool, page: Optional[int], damage: str,
    captions: bool, tight: bool,
) -> None:
    """Table 三 of narrow cells laid out in characters (:func:`_narrow_cells`), perhaps
    with table 三's group captions in pieces in two columns before the labels, the labels
    one space before the numbers, a row's lines left out or two rows' swapped, one cell
    printed empty, or one number one more than its row adds up to: every number read is
    the printed one, whichever lines of pieces the rows take.  (A single line of pieces
    left out would change the numbers printed.)"""
    text, printed = _narrow_cells(
        report, random.Random(seed), width, align, factor, commas, page, damage, captions, tight)
    _only_the_reports_numbers(gd.parse(text), report, printed)


def _table_four_wrapped(
    report: gd.Report, width: int, factor: int, form: str, damage: str = "none", rnd: Optional[random.Random] = None
) -> tuple[str, dict[str, Optional[int]]]:
    """The ``space`` rendering of ``report`` with table 四's numbers (times ``factor``)
    wrapped in cells ``width`` characters wide, as PDF text tools print them: each
    piece on a line of its own, cell by cell (``pieces``, PyMuPDF); every cell's first
    piece on one line, the second pieces on the next, and so on (``rows``, pdfplumber);
    or every cell's first piece a line, then the rests (``tails``, PyMuPDF on a row of
    wrapped cells).  ``damage`` (one piece, chosen by ``rnd``): ``drop`` leaves it out,
    ``change`` prints it one more, ``blank`` prints a dash for it, ``swap`` swaps it with
    the next on its line when both are whole numbers.  Returns the text and what each cell then prints: its pieces
    joined, None where that is no count (a dash, a piece left out of a one-piece cell, a
    leading zero)."""
    lines = render(report, "space").split("\n")
    k = max(i for i, line in enumerate(lines) if len(line.split()) == 15 and all(
        p.isdigit() for p in line.split()))
    numbers = [int(p) * factor for p in lines[k].split()]
    cells = [_cut(str(n), width) for n in numbers]
    # every printed piece as [cell, text], line by line
    if form == "pieces":
        out = [[[c, p]] for c, cell in enumerate(cells) for p in cell]
    elif form == "rows":
        out = [[[c, cell[d]] for c, cell in enumerate(cells) if d < len(cell)] for d in range(max(map(len, cells)))]
    else:
        out = [[[c, cell[0]]] for c, cell in enumerate(cells)] + [[[c, p]] for c, cell in enumerate(cells)
                                                                   for p in cell[1:]]
    if damage != "none":
        assert rnd is not None
        i, j = rnd.choice([(i, j) for i, line in enumerate(out) for j in range(len(line))])
        piece = out[i][j]
        if damage == "drop":
            del out[i][j]
        elif damage == "change":
            piece[1] = str(int(piece[1].replace(",", "")) + 1)
        elif damage == "blank":
            piece[1] = "—"
        elif j + 1 < len(out[i]) and len(cells[piece[0]]) == len(cells[out[i][j + 1][0]]) == 1:
            # two whole numbers (a piece of a wrapped one swapped with another leaves no
            # cell that the text says its pieces are)
            piece[1], out[i][j + 1][1] = out[i][j + 1][1], piece[1]
        out = [line for line in out if line]
    lines[k : k + 1] = [" ".join(text for _, text in line) for line in out]
    joined = ["".join(text for line in out for c, text in line if c == n) for n in range(len(cells))]
    table = report.schema.table("appeals").rows
    addresses = [f"{row.address}.{c.name}" for row in table for c in row.cells]
    return "\n".join(lines), {
        a: int(t.replace(",", "")) if re.fullmatch(r"0|[1-9][\d,]*", t) else None for a, t in zip(addresses, joined)}


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(report=reports(consistent=True), width=st.integers(1, 3), factor=st.sampled_from([1, 7, 113, 1013]),
       form=st.sampled_from(["pieces", "rows", "tails"]), seed=st.integers(0, 2**32 - 1),
       damage=st.sampled_from(["none", "none", "drop", "change", "blank", "swap"]))
def test_table_four_numbers_wrapped_in_narrow_cells_never_give_a_wrong_number(
    report: gd.Report, width: int, factor: int, form: str, seed: int, damage: str
) -> None:
    """Table 四's numbers wrapped in narrow cells (:func:`_table_four_wrapped`): more
    pieces than cells.  They are joined only in the one way every group's sum holds, so
    every number read is the printed one; and a table whose numbers each wrapped at
    most once, printed piece by piece or in rows of pieces, is read whole.  With one piece
    dropped, changed, blanked or swapped, every number read is still the one its cell
    prints, or the table is not read."""
    text, printed = _table_four_wrapped(report, width, factor, form, damage, random.Random(seed))
    # fifteen pieces left after one is dropped are read in the order printed, as any text
    # of table 四's fifteen numbers (which cell lost its piece the text does not say)
    assume(damage != "drop" or len(text.rsplit("总计\n", 1)[-1].split("五、")[0].split()) != 15)
    got = gd.parse(text)
    for address, value in got.cells():
        if address.startswith("appeals.") and value is not None:
            assert value == printed[address], f"{damage}: {address} read {value!r}, printed {printed[address]!r}"
    if damage == "none":
        _only_the_reports_numbers(got, report, printed)
        if got.appeals.review.upheld is None:
            assert any(i.path == "appeals" and i.code == "parse.row_unreadable" for i in got.issues)


@pytest.mark.parametrize("form", ["pieces", "rows"])
def test_table_four_with_its_last_total_wrapped_is_read_by_the_groups_sums(form: str) -> None:
    """``46 0 0 9 55 0 27 0 54 81 96 0 16 0 11`` / ``2`` (PyMuPDF, pdfplumber on a city
    report's LibreOffice PDF): sixteen pieces; only 11 + 2 joined makes every group add
    up (96 + 0 + 16 + 0 = 112), so table 四 is read, and the join is noted."""
    text = render(gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt"), "space")
    lines = text.split("\n")
    k = max(i for i, line in enumerate(lines) if len(line.split()) == 15)
    lines[k] = "46 0 0 9 55 0 27 0 54 81 96 0 16 0 112"
    text, printed = _table_four_wrapped(gd.parse("\n".join(lines)), 2, 1, form)
    assert "\n16\n0\n11\n2\n" in text or "\n46 0 0 9 55 0 27 0 54 81 96 0 16 0 11\n2\n" in text
    got = gd.parse(text)
    assert [getattr(getattr(got.appeals, g), c) for g in ("review", "litigation_direct", "litigation_after_review")
            for c in ("upheld", "corrected", "other", "pending", "total")] == list(printed.values())
    assert [i.code for i in got.issues if i.path == "appeals"] == ["value.inferred"]


def _laid_out(
    report: gd.Report, rnd: random.Random, jitter: bool, moved: int, mixed: bool = True, into: bool = False,
    paged: bool = False,
) -> tuple[str, set[str]]:
    """The ``space`` rendering of ``report`` with table 三 laid out in characters: every
    column at its place line after line, six characters or more apart (a cell's room,
    whatever its numbers' width), numbers aligned left, right or centred (a column alike),
    each perhaps a character off (``jitter``: a PDF tool places words to a character or
    so; closer columns than that leave no place certain); all columns aligned alike
    unless ``mixed`` (then the middles of two columns' numbers may stand closer still).
    ``moved``: in as many rows (of those with room between the label and the first
    column), as ``pdftotext -layout`` prints a row whose label's text block took some of
    its numbers: the second to fourth numbers close after the label, then the first
    number in its column, the rest in theirs (``四、结转下年度继续办  140 0  374  663 …``),
    or with ``into`` the first number last among the close ones (``836 0 0   226 …``).
    ``paged``: the table runs over two pages, the second's columns placed anew (three
    to twelve characters left or right), its first line after a form feed, as
    ``pdftotext -layout`` prints a page.
    Returns the text and the addresses of the rows so moved (fewer when fewer have room)."""
    lines = render(report, "space").split("\n")
    rows = _table_three_rows(lines, blanks=True)
    labels = [" ".join(lines[k].split()[:-7]) for k in rows]
    numbers = [lines[k].split()[-7:] for k in rows]
    width = max(len(p) for ns in numbers for p in ns)
    step = max(width, 3) + rnd.randint(3, 6)  # six characters apart or more: a column's room, not the number's
    first = max(map(len, labels)) + rnd.randint(2, 8)
    cut = rnd.randrange(1, len(rows)) if paged else len(rows)
    later = max(map(len, labels[cut:]), default=0) + 2
    shift = rnd.choice([d for d in range(-12, 13) if abs(d) >= 3 and first + d >= later]) if paged else 0
    lefts = [first if n < cut else first + shift for n in range(len(rows))]
    aligns = [rnd.choice("<>^") for _ in range(7)] if mixed else [rnd.choice("<>^")] * 7
    table = report.schema.table("applications").rows
    room = [n for n, (label, ns) in enumerate(zip(labels, numbers))
            if len(label) + 1 + len(" ".join(ns[:4])) + 2 <= lefts[n]]
    spots = rnd.sample(room, min(moved, len(room)))
    for n, (k, label, ns) in enumerate(zip(rows, labels, numbers)):
        left = lefts[n]
        line = list(label.ljust(left + step * 7 + 2))
        run = rnd.randint(1, 3) if n in spots else 0
        if run:
            close = " ".join([*ns[1 : run + 1], *ns[:1]] if into else ns[1 : run + 1])
            line[len(label) + 1 : len(label) + 1 + len(close)] = close
        for j, number in enumerate(ns):
            if 1 <= j <= run or (into and run and j == 0):
                continue
            start = left + step * j + len(format(number, f"{aligns[j]}{width}")) - len(
                format(number, f"{aligns[j]}{width}").lstrip())
            start += rnd.choice((-1, 0, 0, 1)) if jitter else 0
            line[start : start + len(number)] = number
        lines[k] = ("\f" if n == cut else "") + "".join(line).rstrip()
    return "\n".join(lines), {next(r for r in table if labels[n].endswith(r.label.split()[-1])).address for n in spots}


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(report=reports(consistent=True), seed=st.integers(0, 2**32 - 1), jitter=st.booleans(), paged=st.booleans())
def test_numbers_laid_out_in_their_columns_are_read(report: gd.Report, seed: int, jitter: bool, paged: bool) -> None:
    """Table 三 laid out in characters (:func:`_laid_out`), each column aligned its own
    way and each number perhaps a character off its place: read whole, as printed.  A
    number a character off may stand one space beside a wide one, as a text block's
    words do: that row is read only when a column rule over rows in place confirms it
    (two such rows in one rule are not read: rows a tool moved alike keep its sums).
    ``paged``: over two pages whose columns stand apart, each placed by its own."""
    text, _ = _laid_out(report, random.Random(seed), jitter, moved=0, paged=paged)
    got = gd.parse(text)
    _only_the_reports_numbers(got, report)
    spaced = {i.path for i in got.issues if i.code == "parse.row_unreadable" and (
        "one space apart" in i.message or "do not stand in one another's columns" in i.message
        or "nothing places its numbers" in i.message)}
    assert {a.rsplit(".", 1)[0] for a, v in got.cells() if v is None and a.startswith("applications.")} <= spaced
    if not jitter or not spaced:
        assert got.applications == report.applications


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(report=reports(consistent=True), seed=st.integers(0, 2**32 - 1), jitter=st.booleans(), into=st.booleans(),
       moved=st.integers(1, 3), empty=st.booleans(), paged=st.booleans(), mixed=st.booleans())
def test_numbers_a_tool_moved_out_of_their_columns_are_never_read_in_the_wrong_order(
    report: gd.Report, seed: int, jitter: bool, into: bool, moved: int, empty: bool, paged: bool, mixed: bool
) -> None:
    """Rows whose first number stands in its column after the next ones, printed close
    after the label, or last among them (:func:`_laid_out` ``moved``, ``into``), one to
    three rows: each still adds up, but its numbers' order is not its columns'; it is
    not read (strictly: an error), and every other row is, unless column sums over rows
    read, or read and so confirmed, confirm it (the numbers moved were equal, or a
    rule's other rows are all in place).  ``empty``: some results print their 总计
    empty (``—``), so the rule fails in that column whatever the order; ``paged``, over
    two pages placed apart; ``mixed``, each column aligned its own way.  Every number
    read is the report's."""
    rnd = random.Random(seed)
    if empty:
        data = report.to_dict()
        named = {"new_received", "carried_over", "total", "carried_forward"}
        for row in report.schema.table("applications").rows:
            if row.chain[0] not in named and rnd.random() < 0.5:
                node = data
                for part in row.address.split("."):
                    node = node[part]
                node["total"] = None
        report = gd.Report.from_dict(data)
    text, addresses = _laid_out(report, rnd, jitter, moved=moved, mixed=mixed, into=into, paged=paged)
    assume(addresses)
    got = gd.parse(text)
    _only_the_reports_numbers(got, report)
    flagged = {i.path for i in got.issues if i.code == "parse.row_unreadable" and i.path in addresses
               and "out of their columns' order" in i.message}
    # a row whose numbers a character off leave one space beside a wide one stands like a
    # text block's words and is not read either, by design, with an issue saying so
    # so is every line of a page whose lines that print every column disagree (a page
    # holding two such lines, one of them moved: which one is, is not certain)
    spaced = {i.path for i in got.issues if i.code == "parse.row_unreadable" and (
        "one space apart" in i.message or "do not stand in one another's columns" in i.message
        or "nothing places its numbers" in i.message)}
    unread = {a for a, v in got.cells() if v is None and a.startswith("applications.")
              and a.rsplit(".", 1)[0] not in spaced - addresses}
    blank = {a for a, v in report.cells() if v is None and a.startswith("applications.")
             and a.rsplit(".", 1)[0] not in spaced - addresses}
    assert unread == {a for a, _ in got.cells() if a.rsplit(".", 1)[0] in flagged} | blank
    if flagged:
        with pytest.raises(gd.ParseError) as caught:
            gd.parse(text, strict=True)
        assert caught.value.code == "parse.row_unreadable"
    elif not spaced:  # column sums confirm every row moved
        assert gd.parse(text, strict=True).applications == report.applications


def _fixture_pair(name: str) -> tuple[str, gd.Report, gd.Report]:
    """``fixtures/partial/<name>.txt`` (a tool's text of a synthetic report), the report
    (``<name>.json``) and what is read from the text, checked to hold only the report's
    numbers."""
    here = Path(__file__).parent / "fixtures" / "partial"
    text = (here / f"{name}.txt").read_text("utf-8")
    want = gd.Report.from_json((here / f"{name}.json").read_text("utf-8"))
    got = gd.parse(text)
    _only_the_reports_numbers(got, want)
    return text, want, got


def test_a_row_whose_numbers_pdftotext_moved_out_of_their_columns_is_not_read() -> None:
    """``pdftotext -layout`` of a LibreOffice PDF (a synthetic city report, blank cells
    printed ``—``) prints the row 四 as ``四、结转下年度继续办      140 0   374 …`` under
    ``（七）总计          1884   1026 …``: the label's text block took the second and
    third numbers, and the first, 374, stands in its column after them.  The row adds up
    in any order; read as printed it was 140 0 374.  It is not read; everything else read
    is the report's."""
    text, want, got = _fixture_pair("numbers_moved_by_pdftotext_layout")
    assert "\n四、结转下年度继续办      140 0   374      " in text
    assert got.applications.carried_forward.natural_person is None
    issue = next(i for i in got.issues if i.path == "applications.carried_forward")
    assert issue.code == "parse.row_unreadable" and issue.line == 183 and "out of their columns' order" in issue.message
    printed = dict(want.cells())
    unread = {a.rsplit(".", 1)[0] for a, v in got.cells() if v is None and printed[a] is not None}
    # 一 and 二 print their first numbers close after the label too (``275  466 0    0``), in
    # their order; with 四 unread no column sum confirms them
    assert unread == {"applications.carried_forward", "applications.new_received", "applications.carried_over"}
    assert all(any(i.path == row and "out of their columns' order" in i.message for i in got.issues) for row in unread)


def test_a_row_whose_first_number_pdftotext_printed_last_of_a_text_block_is_not_read() -> None:
    """``pdftotext -layout`` of a LibreOffice PDF (a 2019 city report, blanks printed
    ``/``): ``四、结转下年度继续办      836 0 0               226    0    837        1899``,
    printed 0 836 0 226 0 837 1899: the label's text block took the first three numbers
    and put the first column's last.  Nothing stands out of place but the three numbers
    one space apart, and with blank cells no column sum can confirm the order: not read
    (read as printed it was 836 0 0)."""
    text, _, got = _fixture_pair("first_number_last_in_a_text_block")
    assert "\n四、结转下年度继续办      836 0 0      " in text
    assert got.applications.carried_forward == type(got.applications.carried_forward)()
    assert any(i.path == "applications.carried_forward" and "one space apart" in i.message for i in got.issues)


def test_a_row_confirmed_by_one_column_rule_confirms_another_by_the_other() -> None:
    """``pdftotext -layout`` of a LibreOffice PDF (a synthetic county report whose results
    leave their 总计 column blank): 新收 (``561 465 433 227    348 …``) and 总计 (``544 458
    433   224 …``) print numbers one space apart, as a text block's words stand.  总计 is
    fixed by the results, which add up to it in every column but the blank 总计 column,
    and by its own sum, which fixes that one; 总计 then stands with 上年结转 and 结转下年度
    for 新收 by the balance.  Both are read, as printed.  With 结转下年度 not printed 总计
    is still read, but no rule fixes 新收."""
    text, want, _ = _fixture_pair("two_rows_out_of_order_confirmed_one_by_the_other")
    # without its page breaks (``pdftotext -layout -nopgbrk``): with them, （六） 1. stands
    # alone on its page, placed by nothing, and no rule then holds over rows all in place
    text = text.replace("\f", "")
    got = gd.parse(text)
    _only_the_reports_numbers(got, want)
    assert "\n一、本年新收政府信息   561 465 433 227    348" in text
    assert got.applications.new_received == want.applications.new_received
    assert got.applications.total == want.applications.total
    assert not any(i.code == "parse.row_unreadable" and i.path.startswith("applications.") for i in got.issues)
    # 结转下年度 left out: the balance is short of a row, 新收 is not read
    cut = text.replace("\n四、结转下年度继续办  17  18  0     3      19    14        71", "\n四、结转下年度继续办")
    partial = gd.parse(cut)
    _only_the_reports_numbers(partial, want)
    assert partial.applications.new_received == type(want.applications.new_received)()
    assert partial.applications.total == want.applications.total
    assert {i.path for i in partial.issues if "one space apart" in i.message} >= {"applications.new_received"}


def test_rows_moved_next_to_each_other_are_no_columns_for_one_another() -> None:
    """Three rows of table 三 moved by a tool's text blocks, one under the other
    (``2.申请人逾期…  0         0             0 …``, ``3.其他 1    …    0 …``,
    ``（七）总计 1 0 …``, a township's one application in the second column): the first
    prints every column with room between, but not where the other lines print theirs,
    so it is no line to place 3.其他 by (its 1 and 0 stand in that line's columns).  With
    it as one, 3.其他 was read as printed, 1 0 for 0 1, and 总计, moved alike, was
    confirmed by it.  Neither is read; the first, seven zeros, is the same in any order,
    and every other row is read."""
    _, want, got = _fixture_pair("rows_moved_next_to_each_other")
    unread = {a.rsplit(".", 1)[0] for a, v in got.cells() if v is None and a.startswith("applications.")}
    assert unread == {"applications.other_processing.other", "applications.total"}
    assert got.applications.other_processing.overdue_fee == want.applications.other_processing.overdue_fee
    assert all(i.code == "parse.row_unreadable" for i in got.issues if i.path in unread)


@pytest.mark.parametrize(("name", "row", "page_break"), [
    # 一 and 二 alone on the first page, both moved (``一、本年新收… 1      0     0 …``)
    ("moved_rows_alone_on_their_page", "new_received", ("二、上年结转", "（七）总计")),
    # 四 alone on the second page, moved, whose columns stand a column's width right of
    # the first page's: placed by those, its 1 and 0 fit them
    ("moved_row_alone_after_a_page_break", "carried_forward", ("（七）总计", "四、结转下年度")),
])
def test_a_row_alone_on_its_page_is_placed_by_nothing(name: str, row: str, page_break: tuple[str, str]) -> None:
    """Table 三 over two pages, a page holding rows a tool's text blocks moved (the second
    column's 1 close after the label, the first's 0 in its column) and no other line that
    prints every column: nothing places them (another page's columns stand apart, perhaps
    by a column's width), so they are read only when a column rule confirms them, and
    here none does.  Read as printed (placed by the other page's lines, or by none), the
    row was 1 0 for 0 1 (found by the moved-rows property test, ``paged``)."""
    text, _, got = _fixture_pair(name)
    before, after = page_break
    assert "\f" in text[text.index(before):text.index(after) + len(after)]  # the page breaks between them
    assert getattr(got.applications, row) == type(getattr(got.applications, row))()
    assert any(i.path == f"applications.{row}" and i.code == "parse.row_unreadable" for i in got.issues)


def test_a_number_moved_into_the_first_column_is_no_shift_of_its_line() -> None:
    """``7.属于行政执法案卷 0               1000            0 …`` under columns at 26 37 46 …:
    0, the second column's, printed close after the label and 1000, the first's, in the
    first column; from the third on every number stands in its column.  A shift of the
    line by two characters would put 1000 in the second column (a page dump shifts a
    line by the label's wide characters), but nothing else needs one: the row is not
    read (read as printed it was 0 1000 for 1000 0)."""
    _, _, got = _fixture_pair("number_moved_into_the_first_column")
    unread = {a.rsplit(".", 1)[0] for a, v in got.cells() if v is None and a.startswith("applications.")}
    assert unread == {"applications.denied.enforcement_files"}
    issue = next(i for i in got.issues if i.path == "applications.denied.enforcement_files")
    assert issue.code == "parse.row_unreadable" and "do not stand under the columns" in issue.message


def test_a_blank_and_a_zero_on_different_lines_of_an_uneven_row_are_not_placed_by_sums() -> None:
    """pypdfium2's text of a LibreOffice PDF prints a row's cells at different heights
    on lines of their own (``0`` / ``0 39`` / ``— 51 34 124``): which line's numbers come
    first in the row is not certain, and the sums place only numbers that are not
    nothing.  A blank counts as nothing, as a 0 does, so the dash could stand where a 0
    stands (``—`` / ``0 39`` / ``0 51 34 124`` adds up the same, and the row may be 0 0
    39 — as well as — 0 39 0): either way the numbers that are not nothing are read and
    the three cells printing 0 or the dash are not, each with the reason.  On one line
    numbers keep its order, which may fix their places."""
    text = (CORPUS / "lopdf-pypdfium2" / "02-2021-city.txt").read_text("utf-8")
    printed = "\n0\n0 39\n— 51 34 124\n"
    assert printed in text
    unsure = {"natural_person", "commercial", "social_welfare"}
    for variant in (text, text.replace(printed, "\n—\n0 39\n0 51 34 124\n")):
        got = gd.parse(variant)
        row = got.applications.unable.unclear
        assert (row.research, row.legal_services, row.other_org, row.total) == (39, 51, 34, 124)
        assert all(getattr(row, name) is None for name in unsure)
        flagged = {i.path.rpartition(".")[2] for i in got.issues if i.code == "parse.row_unreadable"
                   and i.path.startswith("applications.unable.unclear.") and "a blank and a 0" in i.message}
        assert flagged == unsure and not got.complete
    # where the lines' own order leaves each its place, the row is read whole: the 0s
    # and the dash on one line, or the 0s before 39 on theirs (the dash, before 51 on
    # its line, cannot take their places)
    want = gd.Report.from_json((EXPECTED / "02-2021-city.json").read_text("utf-8"))
    for pinned in ("\n0 0 39 —\n51 34 124\n", "\n0 0 39\n— 51 34 124\n"):
        got = gd.parse(text.replace(printed, pinned))
        assert got.applications.unable.unclear == want.applications.unable.unclear


def test_each_page_of_laid_out_text_places_its_own_columns() -> None:
    """``pdftotext -layout`` of a reportlab PDF of a city report: table 三 runs over two
    pages, and the tool places each page's columns anew, so 一 and 二, on the first
    page, stand in columns of their own (``14758`` at character 34, the second page's
    first column at 51).  Each line is placed by the lines of its page: both rows read."""
    text = (CORPUS / "libpdf-pdftotext-layout" / "02-2021-city.txt").read_text("utf-8")
    want = gd.Report.from_json((EXPECTED / "02-2021-city.json").read_text("utf-8"))
    assert "\f" in text.split("一、本年新收")[1].split("（七）总计")[0]  # a page ends inside table 三
    got = gd.parse(text)
    assert got.applications == want.applications


def test_two_rows_wrapped_alike_do_not_confirm_each_others_joins() -> None:
    """Table 三 of narrow cells, each number in pieces two characters wide around a
    centred label, one cell printed empty: 新收 prints ``23 … 17`` / ``一、本年新收…
    61 68 66 66 20 19 30`` / ``0`` (2361 … 17300) and 总计 the same way (2367 … 17318).
    Joined from the label's line, each adds up (61 … 19 | 300, 67 … 24 | 318), and the
    two, wrong alike, keep 新收 + 上年结转 = 总计 + 结转下年度 in every column: a column
    rule confirms a join only when no other row in it is joined, split or uneven."""
    text, want, got = _fixture_pair("two_rows_wrapped_alike")
    assert "一、本年新收政府信息公开申请数量        61      68" in text
    for row in ("new_received", "total"):
        assert getattr(got.applications, row) == type(getattr(got.applications, row))(), row
        assert any(i.path == f"applications.{row}" and i.code == "parse.row_unreadable" for i in got.issues), row


def test_a_row_with_number_pieces_under_it_after_caption_pieces_is_not_read_as_printed() -> None:
    """``（三  1.属于国家秘密 … 0 1 1`` with ``0 0`` under its last two numbers on the next line,
    after a piece of a group caption that cannot be taken out whole (two rows' lines
    swapped, or a row's lines left out, took its other pieces along): the row adds up
    as printed (1 = 1) and with the pieces joined (10 = 10), so it is not read as
    printed."""
    for damage, seed in (("swap", 3), ("drop", 7)):
        want = _one_row_of("denied", "state_secret", 10)
        text, printed = _narrow_cells(want, random.Random(seed), 1, "top", 1, False, None, damage, captions=True)
        got = gd.parse(text)
        _only_the_reports_numbers(got, want, printed)
        assert got.applications.denied.state_secret.other_org is None, damage
    # the same with numbers stray before the label (two rows' lines swapped): ``1.信访举报
    # 投诉类申请 0 4 0 0 0 0 4`` / ``三、 … 9 … 9`` is 0 49 0 0 0 0 49
    text, want, got = _fixture_pair("caption_piece_before_the_rests_of_a_row")
    assert got.applications.not_processed.complaint.commercial is None


@pytest.mark.parametrize(("name", "printed", "row", "why"), [
    # ``本年  ∅ 91 0 0 0 39 30`` / ``度办  1.信访举报投诉类申请  0 17 ∅ ∅ ∅ 81 98``: the row's
    # numbers in pieces over three lines that start with pieces of 三、本年度办理结果; with
    # the caption taken out and put before the label, the label's line alone (gaps
    # marked by the column pass) was read 17 for 9117
    ("caption_pieces_beside_the_rests_above_a_row", "\n度办      1.信访举报投诉类申请",
     "applications.not_processed.complaint", "have gaps"),
    # ``（六  2,  56  0  56`` / ``）其  1.申请人无正当理由逾期不补正… 0 2 0 0 ∅ 4 6``: (六)其他处理
    # cannot be taken out whole (two rows' lines swapped took its last piece away); the
    # label's line alone adds up with a gap, read 2 for 2,562
    ("caption_piece_left_of_a_row_with_gaps", "\n    ）其  1.申请人无正当理由逾期不补正",
     "applications.other_processing.overdue_correction", "have gaps"),
    # ``二、上年结转…  1  2  1  1`` / ``2  2`` / ``（一）予以公开  0 7 4 0 0 5 8`` / ``2  1``: 272 and
    # 281 printed 2 / 7 / 2 and 2 / 8 / 1; joined with the pieces under it only, the row
    # adds up too (72 + 4 + 5 = 81); the ``2  2`` are held by 上年结转's short run, a row
    # not read, so they may be this row's first lines
    ("wrapped_under_numbers_of_a_row_not_read", "\n        （一）予以公开",
     "applications.granted", "not certain"),
    # ``三、  （四  1.本机关不掌握相关政府信息 … 3`` / ``本年  ）无  7  8  5  0  9  9  8``: one number
    # on the label's line, gaps in the other columns (which the row's sum cannot refute),
    # the numbers under them after caption pieces: read 3 for 38 and blanks for 7 … 9
    ("one_number_and_gaps_over_caption_pieces", "\n本年  ）无",
     "applications.unable.not_held", "the row is not read"),
    # ``236  319`` / ``三、  6.属于四类过程性信息  169 197 458 0 6 4 3``: 2360 and 3193 wrapped
    # around the label, their first lines taken by the run of the row above (not read);
    # the label's line does not add up (its other_org printed 4, one more than the
    # report's 3) and was read 0 for 2360
    ("heads_above_a_row_that_does_not_add_up", "\n三、      6.属于四类过程性信息",
     "applications.denied.process_info", "numbers right above them belong to a row not read"),
])
def test_a_row_whose_numbers_may_stand_on_lines_of_caption_pieces_is_not_read(
    name: str, printed: str, row: str, why: str
) -> None:
    """Table 三 of narrow cells in ``pdftotext -layout`` text with its group captions in
    pieces before the labels (found by long runs of the narrow-cells property test): a
    row whose numbers may stand on lines above or below its label's, beside caption
    pieces, is not read from its label's line alone; it is left unread with an issue
    saying why, and everything read is the report's."""
    text, want, got = _fixture_pair(name)
    assert printed in text
    assert all(value is None for address, value in got.cells() if address.startswith(f"{row}."))
    assert any(i.path == row and why in i.message for i in got.issues)


def test_a_label_one_space_before_a_piece_of_a_thousands_number_is_read_whole() -> None:
    """``pdftotext -layout`` of the official template filled with a city report (a corpus
    seed no test had seen): ``5.要求行政机关确认或重新出具已 1,35  1,05 …`` / ``获取信息  2  6 …``
    prints the label's first line one space before the first piece of 1,352.  That piece
    was glued to the label (one space joins the words of a label), so neither the row
    nor the character columns found it, and twelve rows were left unread; now the piece
    is a cell of its own and table 三 is read whole."""
    text, want, got = _fixture_pair("label_one_space_before_a_thousands_piece")
    assert "5.要求行政机关确认或重新出具已 1,35 " in text
    assert got.applications == want.applications


def test_the_columns_find_a_sub_row_label_after_a_piece_of_its_group_caption() -> None:
    """``pdftotext -layout`` of the official template filled with a city report: table 三
    in narrow cells over a page break; the label of （六）2. is printed as
    ``（六）其 2.申请人逾期未按收费通知要求缴`` (a piece of its group caption first) and its
    numbers two lines below.  The character columns find its line by the label's start
    after the ordinal, and table 三 is read whole, each row as printed."""
    text, want, got = _fixture_pair("caption_piece_before_a_sub_row_label")
    assert "\n     （六）其 2.申请人逾期未按收费通知要求缴" in text
    assert got.applications == want.applications


@pytest.mark.parametrize(("page", "seed", "factor", "captions"), [(None, 5, 1013, False), (7, 5, 1013, False),
                                                              (None, 3, 7, True), (9, 5, 7, True)])
def test_numbers_in_pieces_over_the_lines_of_narrow_cells_are_read_by_their_columns(
    page: Optional[int], seed: int, factor: int, captions: bool
) -> None:
    """Every number of table 三 in pieces two characters wide over two or three lines,
    centred on the label's line: the rows take the lines between labels only one way in
    which every row and the whole table add up, and table 三 is read whole (with a page
    break moving the columns, too; with the group captions in pieces before the labels,
    too: a row whose last number's rest stands on a line of caption pieces and gaps is
    not read row by row as if it ended there)."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    text, printed = _narrow_cells(want, random.Random(seed), 2, "centred", factor, False, page, captions=captions)
    assert "\n" + " " * 30 in text and "\f" in text or page is None
    assert ("\n三、  " in text) is captions
    got = gd.parse(text)
    assert {a: v for a, v in got.cells() if a.startswith("applications.")} == printed
    notes = [i for i in got.issues if i.code == "value.inferred" and "column by column" in i.message]
    assert notes and all(i.path.startswith("applications.") and i.line for i in notes)
    assert got.appeals == want.appeals and got.active_disclosure == want.active_disclosure


def test_a_row_the_columns_contradict_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """When a row read row by row disagrees with the character columns (here: the guard
    against joining only the pieces under a centred label switched off, so row 一 is
    read from its label's line and the next), the row is not read, with an issue naming
    both readings."""
    from gov_disclosure import _guards, _recover

    want = _three_line_row()
    text, printed = _narrow_cells(want, random.Random(5), 1, "centred", 1, False, None)
    assert gd.parse(text).applications.new_received.total == printed["applications.new_received.total"]
    monkeypatch.setattr(_guards, "_unclaimed_before", lambda *args: 0)
    monkeypatch.setattr(_recover, "_unclaimed_before", lambda *args: 0)
    got = gd.parse(text)
    _only_the_reports_numbers(got, want, printed)
    (issue,) = [i for i in got.issues if i.path == "applications.new_received"]
    assert issue.code == "parse.row_unreadable" and "readings disagree" in issue.message
    assert got.applications.new_received.total is None


def _three_line_row() -> gd.Report:
    """The example report with row 一 53 47 37 90 68 38 333 (四 grown to keep every
    column's balance).  One digit a line, centred, its label's line and the next print
    3 7 7 0 8 8 3 / 3, which adds up too."""
    data = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt").to_dict()
    apps = data["applications"]
    names = ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"]
    new = dict(zip(names, [53, 47, 37, 90, 68, 38, 333]))
    for name in names:
        apps["carried_forward"][name] += new[name] - apps["new_received"][name]
    apps["new_received"] = new
    return gd.Report.from_dict(data)


_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")


def _example_with(rows: dict[tuple[str, ...], Sequence[int]]) -> gd.Report:
    """The example report with every table-三 cell 0 but the ``rows`` given (each by
    its path under ``applications``: ``("denied", "state_secret")``)."""
    data = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt").to_dict()
    apps = data["applications"]

    def zero(node: dict[str, Any]) -> None:
        for key, item in node.items():
            if isinstance(item, dict):
                zero(item)
            else:
                node[key] = 0

    zero(apps)
    for path, values in rows.items():
        node = apps
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = dict(zip(_COLUMNS, values))
    return gd.Report.from_dict(data)


def _one_row_of(group: str, row: str, value: int) -> gd.Report:
    """The example report with every table-三 row 0 but 新收, 总计 and ``group``'s
    ``row``, each 0 0 0 0 0 ``value`` ``value``."""
    tens = [0, 0, 0, 0, 0, value, value]
    return _example_with({("new_received",): tens, ("total",): tens, (group, row): tens})


@pytest.mark.parametrize(("group", "row", "value", "factor", "align", "damage"), [
    ("not_processed", "confirmation", 10, 1, "top", "none"),
    ("not_processed", "excessive", 10, 1, "anywhere", "drop"),
    ("denied", "enforcement_files", 2, 7, "top", "unbalanced"),
    ("denied", "state_secret", 1, 1013, "top", "drop"),
    ("unable", "unclear", 10, 1, "top", "none"),
])
def test_two_caption_columns_in_pieces_before_the_labels_are_taken_out_of_the_lines(
    group: str, row: str, value: int, factor: int, align: str, damage: str
) -> None:
    """``度办  （五  3.要求提供…`` / ``理结  ）不  4.无正当…`` / ``果   予处  5.要求… 0 … 1 1`` /
    ``    理   0 0``: 三、本年度办理结果's pieces stand before （五）不予处理's (or the two
    start on one line: ``三、  （三  5.属于…``), and the inner caption's last piece before
    the rests of a row's numbers (1 1 / 0 0: 10 10).  Both captions are taken out of the
    lines, so the rests are seen: the row, which adds up both as printed and joined, is
    not read as 1 1; and a row whose numbers stand on a line of caption pieces above its
    label is not read with blanks in their place.  A caption whose first piece stands
    beside the rests of the row above (``（三      13  13`` under ``1.属于国家秘密 … 10
    10``), or the outer caption's beside the inner one's last piece and rests (``三、  供
    0  0``), is taken out too, and stands before the next label."""
    want = _one_row_of(group, row, value)
    width = 2 if factor > 100 else 1
    text, printed = _narrow_cells(want, random.Random(0), width, align, factor, False, None, damage, captions=True)
    assert "\n理结  " in text
    _only_the_reports_numbers(gd.parse(text), want, printed)


def test_numbers_wrapped_over_three_lines_around_a_label_are_not_joined_from_two() -> None:
    """``3 7 1`` / ``一、本年新收… 0 0 0 0 5 7 1`` / ``2``: the pieces on the label's line
    and the next add up (5 7 12) but the pieces above are the same numbers' first lines
    (35 77 112): neither two-line join is read."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(want, "space").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    label = "一、本年新收政府信息公开申请数量"
    lines[k : k + 1] = [
        " " * 56 + "3       7       1",
        label + " " * 8 + "0       0       0       0       5       7       1",
        " " * 72 + "2",
    ]
    got = gd.parse("\n".join(lines))
    row = got.applications.new_received
    assert (row.legal_services, row.other_org, row.total) in ((None, None, None), (35, 77, 112))


def test_a_row_under_a_line_of_untaken_pieces_with_more_pieces_below_is_not_joined_from_two() -> None:
    """``10 10 … 50 10`` / ``一、本年新收… 13 13 … 65 13`` / ``0``: the line above the
    label holds a row's worth of pieces no row takes, the label's line a row's worth and
    a third line more (1013 … 5065 10130, wrapped two digits a line).  The label's line and
    the next join to a row that adds up (13 … 65 130), and with 四 printed the same way the
    whole table does too: not read so (the guard of the two-line join refuses it, and the
    character columns would contradict it)."""
    want = _example_with({("new_received",): [1, 1, 1, 1, 1, 5, 10], ("carried_forward",): [1, 1, 1, 1, 1, 5, 10]})
    text, printed = _narrow_cells(want, random.Random(0), 2, "mixed", 1013, False, None)
    assert "一、本年新收政府信息公开申请数量" + " " * 27 + "13" in text
    got = gd.parse(text)
    _only_the_reports_numbers(got, want, printed)


def test_a_row_under_the_first_lines_of_its_wrapped_numbers_is_not_read_from_its_label_line() -> None:
    """``10 10`` (over 其他 and 总计) / ``7.属于行政执法案卷 5 6 2 0 0 13 26``: printed 1013 and
    1026, wrapped two digits a line with the label on the band's second line; the label's
    line adds up alone (5+6+2+13 = 26) as the whole does (5+6+2+1013 = 1026): not read
    from the label's line alone."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(want, "space").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("7.属于行政执法案卷"))
    label = "7.属于行政执法案卷"
    row = label.ljust(30) + "".join(n.ljust(8) for n in "5 6 2 0 0 13 26".split())
    lines[k : k + 1] = [" " * (30 + 8 * 5) + "10      10", row.rstrip()]
    got = gd.parse("\n".join(lines)).applications.denied.enforcement_files
    assert (got.other_org, got.total) in ((None, None), (1013, 1026))


def test_the_template_pdfs_layout_text_of_a_city_report_gives_table_three_whole() -> None:
    """``pdftotext -layout`` of the official template filled with a city's numbers: most
    numbers in pieces over two or three lines around centred labels, a page break moving
    the columns mid-row; table 三 comes out whole, by its columns."""
    text = (CORPUS / "tplpdf-pdftotext-layout" / "02-2021-city.txt").read_text(encoding="utf-8")
    want = gd.Report.from_json((EXPECTED / "02-2021-city.json").read_text(encoding="utf-8"))
    got = gd.parse(text)
    assert got.applications == want.applications
    columned = {i.path for i in got.issues if i.code == "value.inferred" and "column by column" in i.message}
    assert "applications.new_received" in columned and len(columned) >= 10


def test_a_row_that_adds_up_with_and_without_the_pieces_under_it_is_not_read() -> None:
    """``2.申请人逾期未按… 0 0 0 0 0 1 1`` / ``1 1`` under 其他 and 总计, then the next
    row's label: the pieces may be the rests of this row's numbers (11 11) or the first
    lines of the next row's, above its label (this row 1 1); both add up, so neither
    is read."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(want, "space").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("2.申请人逾期未按收费"))
    label = lines[k].split()[0]
    row = label.ljust(len(label) + 4) + "".join(n.ljust(8) for n in "0 0 0 0 0 1 1".split())
    at = len(label) + 4 + 8 * 5
    lines[k : k + 1] = [row.rstrip(), " " * at + "1       1"]
    got = gd.parse("\n".join(lines)).applications.other_processing.overdue_fee
    assert (got.other_org, got.total) == (None, None)


def test_blank_marks_in_the_gaps_of_a_line_of_pieces_are_no_pieces() -> None:
    """The column pass writes its blank mark (``∅``) into the empty columns of a line of
    number pieces (``8 ∅ ∅ ∅ ∅ ∅ 1``): the marks are gaps, not pieces, and table 三 is
    still read whole by its columns."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    text, printed = _narrow_cells(want, random.Random(5), 2, "centred", 1013, False, None)
    lines = text.split("\n")
    full = next(line for line in lines if len(re.findall(r"(?<= )\d+", line)) == 7 and not line[0].isspace())
    starts = [m.start() for m in re.finditer(r"(?<= )\d+", full)]
    marked = 0
    for k, line in enumerate(lines):
        if line.strip() and not re.sub(r"[\d ]", "", line) and len(line.split()) < 7 and len(line) > starts[0]:
            chars = list(line.ljust(starts[-1] + 1))
            for s in starts:
                if chars[s] == " ":
                    chars[s] = "∅"
                    marked += 1
            lines[k] = "".join(chars).rstrip()
    assert marked > 20
    got = gd.parse("\n".join(lines))
    assert {a: v for a, v in got.cells() if a.startswith("applications.")} == printed


def test_pieces_after_a_short_run_above_a_label_may_be_its_numbers_first_lines() -> None:
    """``（七）总计 0 1 1`` (short of its cells: the rest of its band is elsewhere) /
    ``1,0 1,0 2,0`` / ``四、结转下年度继续办理 0 0 13 0 13 0 26``: the pieces after the
    short run stand over 四's numbers and join on top of them to a row that adds up
    (1,013 … 2,026), so 四 is not read from its label's line alone."""
    want = gd.parse_file(Path(__file__).resolve().parents[1] / "examples" / "pipes_2021.txt")
    lines = render(want, "space").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("（七）总计"))
    at = [30 + 8 * j for j in range(7)]

    def placed(label: str, cells: dict[int, str]) -> str:
        chars = list(label.ljust(at[-1] + 8))
        for j, text in cells.items():
            chars[at[j] : at[j] + len(text)] = text
        return "".join(chars).rstrip()
    lines[k : k + 2] = [
        placed("（七）总计", {2: "0", 5: "1", 6: "1"}),
        placed("", {2: "1,0", 4: "1,0", 6: "2,0"}),
        placed("四、结转下年度继续办理", dict(enumerate("0 0 13 0 13 0 26".split()))),
    ]
    got = gd.parse("\n".join(lines)).applications.carried_forward
    assert (got.research, got.total) in ((None, None), (1013, 2026))
