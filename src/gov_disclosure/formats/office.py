"""Legacy office documents (``.doc``, ``.wps``, ``.rtf``, ``.odt``) → report text, through LibreOffice.

When LibreOffice's ``soffice`` (or ``libreoffice``) is on the ``PATH``, the file is
converted headless to DOCX in a temporary directory (with a throw-away user
profile, so a running LibreOffice is not disturbed) and read by the DOCX adapter
(:mod:`gov_disclosure.formats.docx`, the ``[docx]`` extra).  Without LibreOffice
the error says so.  Nothing is left behind: the temporary directory is removed.

Formats are recognised by their content: ``doc`` (an OLE2 compound file: Word 97–2003
``.doc`` and WPS Office ``.wps``), ``rtf`` (``{\\rtf``) and ``odt`` (an OpenDocument
text zip).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import Optional

from ..errors import InputFormatError

__all__ = ["office_kind", "office_to_docx", "office_to_text", "soffice_path", "OFFICE_FORMATS", "TIMEOUT"]

#: The formats this adapter reads, with the file extension used for the conversion.
OFFICE_FORMATS = {"doc": ".doc", "rtf": ".rtf", "odt": ".odt"}
#: Seconds a conversion may take before it is given up.
TIMEOUT = 180

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODT = b"mimetypeapplication/vnd.oasis.opendocument.text"


def office_kind(data: bytes) -> Optional[str]:
    """``"doc"``, ``"rtf"`` or ``"odt"`` when ``data`` is such a document, else None."""
    if data.startswith(_OLE2):
        return "doc"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(b"PK\x03\x04") and _ODT in data[:200]:
        return "odt"
    return None


def soffice_path() -> Optional[str]:
    """The LibreOffice program on the ``PATH`` (``soffice`` or ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_to_docx(data: bytes, kind: Optional[str] = None) -> bytes:
    """The document converted to DOCX by LibreOffice (headless, in a temporary directory)."""
    kind = kind or office_kind(data) or "doc"
    program = soffice_path()
    what = {"doc": "a Word 97-2003 or WPS document (.doc, .wps)", "rtf": "an RTF document (.rtf)",
            "odt": "an OpenDocument text (.odt)"}.get(kind, "a legacy office document")
    if program is None:
        raise InputFormatError(
            f"reading {what} needs LibreOffice, which is not installed (no 'soffice' on the PATH): install "
            "LibreOffice (e.g. apt-get install libreoffice-writer-nogui), or save the file as .docx and parse that",
            code="input.extra",
        )
    with tempfile.TemporaryDirectory(prefix="gov-disclosure-") as work:
        source = os.path.join(work, "report" + OFFICE_FORMATS.get(kind, ".doc"))
        with open(source, "wb") as handle:
            handle.write(data)
        out = os.path.join(work, "out")
        command = [
            program,
            "-env:UserInstallation=file://" + os.path.join(work, "profile").replace(os.sep, "/"),
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", out, source,
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise InputFormatError(f"LibreOffice did not convert {what} within {TIMEOUT} s") from None
        except OSError as exc:
            raise InputFormatError(f"LibreOffice could not be started ({program}: {exc})") from None
        target = os.path.join(out, "report.docx")
        if done.returncode != 0 or not os.path.exists(target):
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise InputFormatError(
                f"LibreOffice could not convert {what} to DOCX (exit {done.returncode}"
                + (f": {detail[-1]}" if detail else "")
                + "); the file may be damaged, protected with a password, or not a document"
            )
        with open(target, "rb") as handle:
            return handle.read()


def office_to_text(data: bytes, kind: Optional[str] = None) -> str:
    """Report text from a ``.doc``/``.wps``/``.rtf``/``.odt`` document (converted to DOCX by LibreOffice)."""
    from .docx import docx_to_text

    return docx_to_text(office_to_docx(data, kind))
