"""A griffe extension for the API reference (mkdocs.yml): the library's docstrings
use reStructuredText habits that Markdown reads differently.

* ``>>>`` sessions become fenced ``pycon`` blocks (else Markdown reads ``['a']`` in
  an output line as a link);
* reStructuredText simple tables (``====  ====`` rules) are shown as they are, in a
  fenced ``text`` block;
* ``:class:`~gov_disclosure.model.Report``` and the other Sphinx roles become links
  of the API reference (``gov_disclosure.…`` targets) or code (anything else).
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension, Object

RULE = re.compile(r"^\s*=+(?:\s+=+)+\s*$")
ROLE = re.compile(r":(?:class|func|meth|attr|mod|exc|data|obj|const):`(~?)([^`<]+?)`")


def _role(match: re.Match[str]) -> str:
    tilde, target = match.groups()
    shown = target.rsplit(".", 1)[-1] if tilde else target
    if target.startswith("gov_disclosure."):
        return f"[`{shown}`][{target}]"
    return f"`{shown}`"


def _plain(match: re.Match[str]) -> str:
    tilde, target = match.groups()
    return target.rsplit(".", 1)[-1] if tilde else target


def _doctests(text: str) -> str:
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        stripped = lines[i].lstrip()
        if stripped.startswith(">>>"):
            indent = lines[i][: len(lines[i]) - len(stripped)]
            out.append(indent + "```pycon")
            while i < len(lines) and lines[i].strip():
                out.append(lines[i])
                i += 1
            out.append(indent + "```")
            continue
        if RULE.match(lines[i]):
            indent = lines[i][: len(lines[i]) - len(stripped)]
            out.append(indent + "```text")
            rules = 0
            while i < len(lines) and rules < 3:
                rules += bool(RULE.match(lines[i]))
                out.append(ROLE.sub(_plain, lines[i]))
                i += 1
            out.append(indent + "```")
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


class RstDocstrings(Extension):
    def on_instance(self, *, obj: Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            parts = _doctests(obj.docstring.value).split("```")
            # roles become links outside code blocks only (the odd parts are fenced)
            obj.docstring.value = "```".join(ROLE.sub(_role, p) if k % 2 == 0 else p for k, p in enumerate(parts))
