"""Legacy office documents (issue 13): ``.doc``, ``.wps``, ``.rtf``, ``.odt`` through LibreOffice.

A DOCX rendered by the library is converted by LibreOffice to each legacy format and
must parse to the same Report.  Skipped when ``soffice`` is not on the PATH; the
error without LibreOffice and the format detection are tested always.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure import InputFormatError, Report
from gov_disclosure.formats import office, sniff

FIXTURE = Path(__file__).parent / "fixtures" / "html" / "xihu-education-2023.expected.json"
needs_soffice = pytest.mark.skipif(
    office.soffice_path() is None, reason="LibreOffice (soffice) is not on the PATH: legacy .doc/.rtf/.odt need it"
)


def _report() -> Report:
    data = json.loads(FIXTURE.read_text("utf-8"))
    return Report.from_dict({k: v for k, v in data.items() if not k.startswith("_")})


def _convert(docx: bytes, target: str, ext: str, work: Path) -> Path:
    src = work / "report.docx"
    src.write_bytes(docx)
    out = work / "out"
    subprocess.run(
        [str(office.soffice_path()), f"-env:UserInstallation=file://{work}/profile", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=300,
    )
    return out / f"report.{ext}"


@needs_soffice
@pytest.mark.parametrize(
    "target, ext, kind",
    [("doc:MS Word 97", "doc", "doc"), ("odt", "odt", "odt"), ("rtf", "rtf", "rtf")],
)
def test_legacy_document_parses_to_the_same_report(tmp_path: Path, target: str, ext: str, kind: str) -> None:
    pytest.importorskip("docx")
    from gov_disclosure.render_documents import render_docx

    expected = _report()
    path = _convert(render_docx(expected), target, ext, tmp_path)
    data = path.read_bytes()
    assert sniff(data) == kind
    report = gd.parse_file(path)
    assert report == expected
    assert report.complete
    # a .wps (WPS Office) is the same OLE2 container as a .doc: read by content, whatever the name
    if kind == "doc":
        wps = tmp_path / "report.wps"
        wps.write_bytes(data)
        assert gd.parse_file(wps) == expected


def test_without_libreoffice_the_error_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    with pytest.raises(InputFormatError, match="needs LibreOffice.*soffice.*PATH") as caught:
        gd.parse(ole2)
    assert caught.value.code == "input.extra"
    with pytest.raises(InputFormatError, match=r"RTF.*needs LibreOffice"):
        gd.parse(b"{\\rtf1\\ansi hello}")


def test_detection() -> None:
    assert office.office_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") == "doc"
    assert office.office_kind(b"{\\rtf1\\ansi}") == "rtf"
    odt = b"PK\x03\x04" + b"\0" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text" + b"PK"
    assert office.office_kind(odt) == "odt"
    assert sniff(odt) == "odt"
    assert office.office_kind(b"PK\x03\x04" + b"\0" * 26 + b"[Content_Types].xml") is None
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "image"
    assert sniff(b"\xff\xd8\xff\xe0....") == "image"


@needs_soffice
def test_damaged_document(tmp_path: Path) -> None:
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00garbage" * 50)
    with pytest.raises(InputFormatError):
        gd.parse_file(path)
