"""Build the toolchain corpus: what real DOCX/PDF/HTML-to-text tools print for a report.

    python benchmarks/toolchain/make_corpus.py --out tests/fixtures/toolchain --n 6

Generates ``n`` synthetic reports (seeded, no hypothesis), renders each with the
library's own renderers (DOCX, HTML, PDF), fills the official blank 2021 template
(``../shared/real/template-2021.docx``, skipped when absent), converts them with real
tools (LibreOffice, poppler, PyMuPDF, pypdfium2, pdfplumber, pandoc, w3m, lynx,
html2text, markdownify) and writes

    OUT/<form>/<report>.txt        what the tool printed (UTF-8)
    OUT/expected/<report>.json     the generated report (ground truth)
    OUT/damaged/<name>.txt|.json   hand-made damage variants of pipe/newline renderings
    OUT/MANIFEST.json              forms, tools, versions, report properties, failures

The tools are only needed to *make* the corpus (see requirements.txt); the tests read
the committed text.  A form whose tool is missing or fails is skipped and recorded
in MANIFEST.json under ``failures``.
"""

from __future__ import annotations

import argparse
import copy
import importlib.metadata
import json
import random
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Optional

from gov_disclosure import Report
from gov_disclosure.render import render, table_rows, to_traditional
from gov_disclosure.render_documents import render_docx, render_html, render_pdf

SEED = 20240601
TIMEOUT = 180
TEMPLATE_2021 = Path(__file__).resolve().parents[3] / "shared" / "real" / "template-2021.docx"

APPLICANTS = ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org"]
DENIED = ["state_secret", "prohibited_by_law", "security_stability", "third_party_rights",
          "internal_affairs", "process_info", "enforcement_files", "administrative_query"]
UNABLE = ["not_held", "needs_creation", "unclear"]
NOT_PROCESSED = ["complaint", "duplicate", "publication", "excessive", "confirmation"]
OTHER_2021 = ["overdue_correction", "overdue_fee", "other"]
APPEAL_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
APPEAL_COLS = ["upheld", "corrected", "other", "pending"]

AGENCIES = {
    "township": ["某县城关镇人民政府", "江苏省淮安市淮阴区王营街道办事处", "浙江省德清县武康街道办事处"],
    "county": ["某县市场监督管理局", "浙江省杭州市西湖区教育局", "北京市海淀区人民政府"],
    "city": ["江苏省淮安市人民政府", "上海市人民政府办公厅", "广东省深圳市公安局"],
}

# report plan: (edition, scale, traditional HTML variant, blank cells, how a blank is printed)
# A blank printed as nothing ("") vanishes from every text form; "—" and "/" stay visible.
PLAN = [
    ("2021", "township", False, False, ""),
    ("2021", "county", True, True, ""),
    ("2021", "city", False, True, "—"),
    ("2019", "township", True, False, ""),
    ("2019", "county", False, True, ""),
    ("2019", "city", False, True, "/"),
]


# --- synthetic reports ---------------------------------------------------------------


def _count(rng: random.Random, scale: str, zero: float = 0.45) -> int:
    if rng.random() < zero:
        return 0
    if scale == "township":
        return rng.randint(0, 9)
    if scale == "county":
        return rng.randint(0, 99) if rng.random() < 0.6 else rng.randint(0, 9)
    return rng.randint(0, 1500) if rng.random() < 0.6 else rng.randint(0, 99)


def _decimal(rng: random.Random, whole_max: int) -> Decimal:
    places = rng.choice([0, 1, 2, 3, 4])
    value = Decimal(rng.randint(0, whole_max * 10**places)) / (Decimal(10) ** places)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _row(values: dict[str, int]) -> dict[str, Any]:
    return {**values, "total": sum(values.values())}


def _add(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {c: sum(r[c] for r in rows) for c in APPLICANTS + ["total"]}


def make_report_dict(rng: random.Random, edition: str, scale: str, blanks2: bool, blanks3: bool) -> dict[str, Any]:
    """A to_dict()-shaped report whose arithmetic holds (blanks replace zeros or totals)."""
    year = rng.choice([2021, 2022, 2023, 2024]) if edition == "2021" else rng.choice([2019, 2020])
    agency = rng.choice(AGENCIES[scale])
    big = {"township": 9, "county": 99, "city": 30000}[scale]
    c = lambda: _count(rng, scale)  # noqa: E731

    # table 二
    if edition == "2021":
        docs = lambda: {k: min(big, _count(rng, scale, 0.3)) for k in ("issued", "repealed", "in_force")}  # noqa: E731
        dec = lambda: {"decisions": rng.randint(10000, 60000) if scale == "city" and rng.random() < 0.7 else c()}  # noqa: E731
        active: dict[str, Any] = {
            "regulations": docs(), "normative_documents": docs(),
            "licensing": dec(), "punishment": dec(), "coercion": dec(),
            "fees": {"amount": _decimal(rng, {"township": 9, "county": 99, "city": 9999}[scale])},
        }
    else:
        pubs = lambda: {k: _count(rng, scale, 0.3) for k in ("new_made", "new_published", "total_published")}  # noqa: E731

        def items() -> dict[str, int]:
            prev = rng.randint(10000, 40000) if scale == "city" and rng.random() < 0.5 else c()
            return {"previous_items": prev, "change": rng.randint(-min(prev, big), big) if prev else rng.randint(0, 9),
                    "decisions": c()}

        active = {
            "regulations": pubs(), "normative_documents": pubs(),
            "licensing": items(), "other_services": items(), "punishment": items(), "coercion": items(),
            "fees": {k: v for k, v in items().items() if k != "decisions"},
            "procurement": {"items": c(), "amount": _decimal(rng, {"township": 99, "county": 9999, "city": 999999}[scale]),
                            "amount_unit": rng.choice([None, "元", "万元"])},
        }
    if blanks2:
        cells = [(r, k) for r, row in active.items() for k in row if k != "amount_unit"]
        for r, k in rng.sample(cells, 3):
            active[r][k] = None

    # table 三: result rows drawn, then total, carried over/forward and new derived
    def applicant_row() -> dict[str, Any]:
        return _row({a: c() for a in APPLICANTS})

    apps: dict[str, Any] = {
        "granted": applicant_row(),
        "partially_granted": applicant_row(),
        "denied": {k: applicant_row() for k in DENIED},
        "unable": {k: applicant_row() for k in UNABLE},
        "not_processed": {k: applicant_row() for k in NOT_PROCESSED},
        "other_processing": {k: applicant_row() for k in OTHER_2021} if edition == "2021" else applicant_row(),
    }
    if scale == "city":  # 5-digit counts: thousands separators matter
        bump = rng.randint(10000, 20000)
        apps["granted"]["natural_person"] += bump
        apps["granted"]["total"] += bump

    def leaves(obj: dict[str, Any]) -> list[dict[str, Any]]:
        return [obj] if "total" in obj and not isinstance(obj["total"], dict) else [x for v in obj.values() for x in leaves(v)]

    total = _add(leaves(apps))
    small = {"township": 3, "county": 20, "city": 900}[scale]
    forward = {a: rng.randint(0, small) if rng.random() < 0.6 else 0 for a in APPLICANTS}
    over = {a: min(rng.randint(0, small) if rng.random() < 0.6 else 0, total[a] + forward[a]) for a in APPLICANTS}
    new = {a: total[a] + forward[a] - over[a] for a in APPLICANTS}
    applications = {"new_received": _row(new), "carried_over": _row(over), **apps,
                    "total": total, "carried_forward": _row(forward)}
    if blanks3:
        rows = leaves({k: v for k, v in applications.items() if k not in ("new_received", "carried_over", "total", "carried_forward")})
        zeros = [(row, a) for row in rows for a in APPLICANTS if row[a] == 0]
        for row, a in rng.sample(zeros, min(8, len(zeros))):
            row[a] = None
        if scale == "county":  # Shanghai-2019 style: 总计 column blank in the sub-rows
            for group in ("denied", "unable", "not_processed"):
                for row in applications[group].values():
                    row["total"] = None

    appeals = {}
    for g in APPEAL_GROUPS:
        parts = {k: _count(rng, "township" if scale == "township" else "county", 0.5) for k in APPEAL_COLS}
        appeals[g] = {**parts, "total": sum(parts.values())}
    return {"edition": edition, "agency": agency, "year": year,
            "active_disclosure": active, "applications": applications, "appeals": appeals}


# --- tools ---------------------------------------------------------------------------


class Failure(Exception):
    pass


def run(cmd: list[str], cwd: Optional[Path] = None, stdin: Optional[bytes] = None) -> bytes:
    try:
        done = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, timeout=TIMEOUT)
    except FileNotFoundError as exc:
        raise Failure(f"{cmd[0]}: not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise Failure(f"{' '.join(cmd[:3])}: timed out after {TIMEOUT}s") from exc
    if done.returncode != 0:
        raise Failure(f"{' '.join(cmd[:3])}: exit {done.returncode}: {done.stderr.decode('utf-8', 'replace')[-300:]}")
    return done.stdout


def soffice(src: Path, target: str, ext: str, work: Path) -> Path:
    """LibreOffice headless conversion with a per-run profile; returns the output file."""
    out = work / f"lo_{ext}"
    out.mkdir(exist_ok=True)
    profile = work / f"lo_profile_{ext}"
    run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(out), str(src)])
    result = out / (src.stem + "." + ext)
    if not result.exists():
        raise Failure(f"soffice --convert-to {target}: no output")
    return result


def pdf_tools(pdf: Path) -> dict[str, Callable[[], str]]:
    def pdftotext(*flags: str) -> Callable[[], str]:
        return lambda: run(["pdftotext", *flags, "-enc", "UTF-8", str(pdf), "-"]).decode("utf-8")

    def pymupdf() -> str:
        import pymupdf as fitz

        with fitz.open(pdf) as doc:
            return "".join(page.get_text() for page in doc)

    def pypdfium2() -> str:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(pdf))
        try:
            return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        finally:
            doc.close()

    def pdfplumber() -> str:
        import pdfplumber as plumber

        with plumber.open(pdf) as doc:
            return "\n".join(page.extract_text() or "" for page in doc.pages)

    return {
        "pdftotext": pdftotext(),
        "pdftotext-layout": pdftotext("-layout"),
        "pdftotext-raw": pdftotext("-raw"),
        "pymupdf": pymupdf,
        "pypdfium2": pypdfium2,
        "pdfplumber": pdfplumber,
    }


def html_tools(page: Path) -> dict[str, Callable[[], str]]:
    def html2text() -> str:
        import html2text as h2t

        return h2t.html2text(page.read_text("utf-8"))

    def markdownify() -> str:
        import markdownify as md

        return md.markdownify(page.read_text("utf-8"))

    return {
        "w3m": lambda: run(["w3m", "-dump", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", str(page)]).decode("utf-8"),
        "lynx": lambda: run(["lynx", "-dump", "-nolist", "-display_charset=utf-8", "-assume_charset=utf-8",
                             str(page)]).decode("utf-8"),
        "html2text": html2text,
        "markdownify": markdownify,
    }


def docx_tools(docx_path: Path, work: Path) -> dict[str, Callable[[], str]]:
    return {
        "pandoc-gfm": lambda: run(["pandoc", "-f", "docx", "-t", "gfm", str(docx_path)]).decode("utf-8"),
        "pandoc-plain": lambda: run(["pandoc", "-f", "docx", "-t", "plain", str(docx_path)]).decode("utf-8"),
        "lo-txt": lambda: soffice(docx_path, "txt:Text (encoded):UTF8", "txt", work).read_text("utf-8-sig"),
    }


def versions() -> dict[str, str]:
    def first(cmd: list[str]) -> str:
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=60)
        except (FileNotFoundError, subprocess.TimeoutExpired):
            return "missing"
        text = (done.stdout or done.stderr).decode("utf-8", "replace").strip()
        return text.splitlines()[0] if text else "unknown"

    out = {
        "soffice": first(["soffice", "--version"]),
        "pdftotext": first(["pdftotext", "-v"]),
        "pandoc": first(["pandoc", "--version"]),
        "w3m": first(["w3m", "-version"]),
        "lynx": first(["lynx", "-version"]),
        "python": sys.version.split()[0],
    }
    for pkg in ("gov-disclosure", "pymupdf", "pypdfium2", "pdfplumber", "html2text", "markdownify",
                "python-docx", "reportlab", "opencc-python-reimplemented"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            out[pkg] = "missing"
    return out


TOOL_COMMANDS = {
    "lo-txt": 'soffice -env:UserInstallation=file:///tmp/... --headless --convert-to "txt:Text (encoded):UTF8"',
    "pandoc-gfm": "pandoc -f docx -t gfm", "pandoc-plain": "pandoc -f docx -t plain",
    "pdftotext": "pdftotext -enc UTF-8 IN -", "pdftotext-layout": "pdftotext -layout -enc UTF-8 IN -",
    "pdftotext-raw": "pdftotext -raw -enc UTF-8 IN -",
    "pymupdf": "''.join(page.get_text() for page in pymupdf.open(IN))",
    "pypdfium2": "'\\n'.join(page.get_textpage().get_text_range())",
    "pdfplumber": "'\\n'.join(page.extract_text())",
    "w3m": "w3m -dump -T text/html -I UTF-8 -O UTF-8 IN",
    "lynx": "lynx -dump -nolist -display_charset=utf-8 -assume_charset=utf-8 IN",
    "html2text": "html2text.html2text(html) (defaults, body_width=78)",
    "markdownify": "markdownify.markdownify(html) (defaults)",
}


# --- the official 2021 template, filled ------------------------------------------------


def _fmt(value: Any, separators: bool, mark: str = "") -> str:
    if value is None:
        return mark
    if isinstance(value, Decimal):
        return format(value, "f")
    return f"{value:,}" if separators else str(value)


def fill_template(report: Report, path: Path, separators: bool, mark: str = "") -> bytes:
    """The official blank 2021 template with the report's values typed into it."""
    import io

    import docx

    d = report.to_dict()
    document = docx.Document(str(path))
    for p in document.paragraphs:
        if p.text.strip() == "政府信息公开工作年度报告格式模板":
            p.text = f"{report.agency}{report.year}年政府信息公开工作年度报告"
            break
    for p in document.paragraphs:
        if p.text.strip() == "（文字描述）":
            p.text = (f"本年度报告根据《中华人民共和国政府信息公开条例》编制。本年度报告中所列数据统计期限"
                      f"自{report.year}年1月1日起至{report.year}年12月31日止。")
            break
    two, three, four = document.tables[:3]
    a = d["active_disclosure"]

    def put(cell: Any, value: Any) -> None:
        cell.text = _fmt(value, separators, mark)

    for r, key in ((2, "regulations"), (3, "normative_documents")):
        for col, name in enumerate(("issued", "repealed", "in_force"), start=1):
            put(two.rows[r].cells[col], a[key][name])
    for r, key in ((6, "licensing"), (9, "punishment"), (10, "coercion")):
        put(two.rows[r].cells[1], a[key]["decisions"])
    put(two.rows[13].cells[1], a["fees"]["amount"])

    apps = d["applications"]
    order = (["new_received", "carried_over", "granted", "partially_granted"]
             + [("denied", k) for k in DENIED] + [("unable", k) for k in UNABLE]
             + [("not_processed", k) for k in NOT_PROCESSED] + [("other_processing", k) for k in OTHER_2021]
             + ["total", "carried_forward"])
    for r, key in enumerate(order, start=3):
        row = apps[key[0]][key[1]] if isinstance(key, tuple) else apps[key]
        for col, name in enumerate(APPLICANTS + ["total"], start=3):
            put(three.rows[r].cells[col], row[name])
    for g, group in enumerate(APPEAL_GROUPS):
        for k, name in enumerate(APPEAL_COLS + ["total"]):
            put(four.rows[3].cells[g * 5 + k], d["appeals"][group][name])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- damaged variants ---------------------------------------------------------------------


def _null_table(d: dict[str, Any], table: str) -> None:
    def blank(obj: dict[str, Any]) -> None:
        for k, v in obj.items():
            if isinstance(v, dict):
                blank(v)
            elif not k.endswith("_unit"):
                obj[k] = None
    blank(d[table])


def _markdown(report: Report) -> str:
    """Markdown: ``###`` headings for the 第二十条 captions, GFM pipe tables."""
    rows = table_rows(report)
    out = [f"# {report.agency}{report.year}年政府信息公开工作年度报告", "", "## 二、主动公开政府信息情况", ""]
    for row in rows["active_disclosure"]:
        if len(row) == 1:
            out += ["", f"### {row[0]}", ""]
            header = True
            continue
        out.append("| " + " | ".join(row) + " |")
        if header:
            out.append("|" + "---|" * len(row))
            header = False
    width = 10
    for title, table in (("## 三、收到和处理政府信息公开申请情况", rows["applications"]),
                         ("## 四、政府信息公开行政复议、行政诉讼情况", rows["appeals"])):
        width = max(len(r) for r in table)
        out += ["", title, ""]
        for i, row in enumerate(table):
            out.append("| " + " | ".join(row + [""] * (width - len(row))) + " |")
            if i == 0:
                out.append("|" + "---|" * width)
    return "\n".join(out) + "\n"


def damaged_variants(reports: list[tuple[str, Report]]) -> dict[str, tuple[str, dict[str, Any]]]:
    by_edition = {r.edition: (rid, r) for rid, r in reports}
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for edition in ("2021", "2019"):
        rid, r = by_edition[edition]
        d = json.loads(r.to_json())
        # 1. the 规章 row of table 二 dropped (pipe layout: "|" line + 4 cell lines)
        text = render(r, layout="pipe")
        lines = text.split("\n")
        i = lines.index("规章 |")
        del lines[i - 1:i + 4]
        exp = copy.deepcopy(d)
        exp["active_disclosure"]["regulations"] = {k: None for k in exp["active_disclosure"]["regulations"]}
        out[f"no_regulations_row_{edition}"] = ("\n".join(lines), exp)
        # 4. markdown headings over pipe tables
        out[f"markdown_headings_{edition}"] = (_markdown(r), d)
        # 5. flattened to one line
        out[f"flat_pipe_{edition}"] = (render(r, layout="pipe").replace("\n", " ").strip() + "\n", d)
        out[f"flat_newline_{edition}"] = (render(r, layout="newline").replace("\n", " ").strip() + "\n", d)
    # 2. header misprint (2019): 本年公开数量 for 本年新公开数量
    rid, r = by_edition["2019"]
    out["misprint_header_2019"] = (render(r, layout="newline").replace("本年新公开数量", "本年公开数量"), json.loads(r.to_json()))
    # 3. a fragment holding only table 四
    rid, r = by_edition["2021"]
    text = render(r, layout="pipe")
    start = text.index("四、政府信息公开行政复议、行政诉讼情况")
    end = text.index("五、存在的主要问题")
    exp = json.loads(r.to_json())
    _null_table(exp, "active_disclosure")
    _null_table(exp, "applications")
    exp["agency"] = None
    exp["year"] = None
    out["fragment_table4_2021"] = (text[start:end], exp)
    return out


# --- main ---------------------------------------------------------------------------------


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("tests/fixtures/toolchain"))
    ap.add_argument("--n", type=int, default=6)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--template", type=Path, default=TEMPLATE_2021)
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    # fixed work directory: tools that print file paths print the same ones every run
    work_root = Path(tempfile.gettempdir()) / "gov_disclosure_toolchain"
    if work_root.exists():
        shutil.rmtree(work_root)

    manifest: dict[str, Any] = {
        "generator": "benchmarks/toolchain/make_corpus.py",
        "command": f"python benchmarks/toolchain/make_corpus.py --out {args.out} --n {args.n} --seed {args.seed}",
        "seed": args.seed, "versions": versions(), "tools": TOOL_COMMANDS,
        "sources": {
            "docx": "render_docx(report, missing=mark)",
            "lopdf": "render_docx -> soffice --convert-to pdf",
            "lohtml": "render_docx -> soffice --convert-to html",
            "libhtml": "render_html(report, missing=mark)",
            "tradhtml": "render_html(...) converted with OpenCC('s2t') (big5-gate mirror)",
            "libpdf": "render_pdf(report, missing=mark) (reportlab, page footers '- N -')",
            "tpl": "../shared/real/template-2021.docx filled with python-docx (2021 only; thousands separators for city)",
            "tplpdf": "filled template -> soffice --convert-to pdf",
        },
        "forms": {}, "reports": {}, "damaged": {}, "failures": [],
    }
    forms: dict[str, dict[str, Any]] = {}
    reports: list[tuple[str, Report]] = []

    for i in range(args.n):
        edition, scale, traditional, blanks, mark = PLAN[i % len(PLAN)]
        d = make_report_dict(rng, edition, scale, blanks, blanks)
        report = Report.from_dict(d)
        rid = f"{i:02d}-{edition}-{scale}"
        reports.append((rid, report))
        separators = scale == "city"
        write(args.out / "expected" / f"{rid}.json", report.to_json(indent=1) + "\n")
        work = work_root / rid
        work.mkdir(parents=True)

        # sources
        docx_path = work / "report.docx"
        docx_path.write_bytes(render_docx(report, missing=mark))
        lib_html = render_html(report, missing=mark)
        html_path = work / "report.html"
        html_path.write_text(lib_html, encoding="utf-8")
        pdf_path = work / "report.pdf"
        pdf_path.write_bytes(render_pdf(report, missing=mark))

        jobs: dict[str, tuple[str, Callable[[], str]]] = {}

        def add(source: str, desc: str, tools: dict[str, Callable[[], str]]) -> None:
            for tool, fn in tools.items():
                jobs[f"{source}-{tool}"] = (f"{desc} -> {tool}", fn)  # noqa: B023 - called at once

        add("docx", "library render_docx", docx_tools(docx_path, work))
        try:
            add("lopdf", "render_docx -> LibreOffice PDF", pdf_tools(soffice(docx_path, "pdf", "pdf", work)))
        except Failure as exc:
            manifest["failures"].append({"report": rid, "form": "lopdf-*", "error": str(exc)})
        try:
            lo_html = soffice(docx_path, "html", "html", work)
            add("lohtml", "render_docx -> LibreOffice HTML", html_tools(lo_html))
        except Failure as exc:
            manifest["failures"].append({"report": rid, "form": "lohtml-*", "error": str(exc)})
        add("libhtml", "library render_html", html_tools(html_path))
        if traditional:  # a big5-gate style mirror: the page converted with OpenCC s2t
            trad_dir = work / "trad"
            trad_dir.mkdir()
            trad_path = trad_dir / "report.html"
            trad_path.write_text(to_traditional(lib_html), encoding="utf-8")
            add("tradhtml", "library render_html -> OpenCC s2t", html_tools(trad_path))
        add("libpdf", "library render_pdf", pdf_tools(pdf_path))
        template = edition == "2021" and args.template.exists()
        if template:
            tdir = work / "template"
            tdir.mkdir()
            tpath = tdir / "template.docx"
            tpath.write_bytes(fill_template(report, args.template, separators, mark))
            add("tpl", "official template-2021.docx filled (python-docx)", docx_tools(tpath, tdir))
            try:
                tpdf = soffice(tpath, "pdf", "pdf", tdir)
                tools = pdf_tools(tpdf)
                add("tplpdf", "filled template -> LibreOffice PDF",
                    {k: tools[k] for k in ("pdftotext", "pdftotext-layout", "pymupdf")})
            except Failure as exc:
                manifest["failures"].append({"report": rid, "form": "tplpdf-*", "error": str(exc)})

        for form, (desc, fn) in jobs.items():
            try:
                text = fn()
            except Failure as exc:
                manifest["failures"].append({"report": rid, "form": form, "error": str(exc)})
                continue
            except Exception as exc:  # a library tool raising
                manifest["failures"].append({"report": rid, "form": form, "error": f"{type(exc).__name__}: {exc}"})
                continue
            write(args.out / form / f"{rid}.txt", text)
            forms.setdefault(form, {"made_by": desc, "reports": []})["reports"].append(rid)

        manifest["reports"][rid] = {
            "edition": edition, "scale": scale, "agency": report.agency, "year": report.year,
            "traditional_forms": ["tradhtml-*"] if traditional else [],
            "blank_printed_as": mark if blanks else None,
            "blanks_table_2": [a for a, v in report.cells() if v is None and a.startswith("active_disclosure")],
            "blanks_table_3": [a for a, v in report.cells() if v is None and a.startswith("applications")],
            "template_filled": template,
            "template_thousands_separators": template and separators,
            "max_count": max(v for _, v in report.cells() if isinstance(v, int)),
        }
        print(f"{rid}: {sum(1 for f in forms.values() if rid in f['reports'])} forms", file=sys.stderr)

    for name, (text, exp) in damaged_variants(reports).items():
        Report.from_dict(exp)  # the expectation must be a valid model
        write(args.out / "damaged" / f"{name}.txt", text)
        write(args.out / "damaged" / f"{name}.json", json.dumps(exp, ensure_ascii=False, indent=1) + "\n")
        manifest["damaged"][name] = {"printed_cells": sum(1 for _, v in Report.from_dict(exp).cells() if v is not None)}

    manifest["forms"] = dict(sorted(forms.items()))
    write(args.out / "MANIFEST.json", json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"{len(forms)} forms, {len(reports)} reports, {len(manifest['failures'])} failures, {size / 1024:.0f} KiB in {args.out}",
          file=sys.stderr)
    shutil.rmtree(work_root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
