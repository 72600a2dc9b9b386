"""The grammars as package data, and what other layers need from them.

The ``.lark`` files live inside the package (``gov_disclosure/grammars``) and are
read with :mod:`pkgutil` through Lark's :class:`~lark.load_grammar.FromPackageLoader`,
so they load from a zipped package too.  Relative ``%import .template`` works
through that loader; a user edition's grammar may ``%import template`` by name.

The shared patterns (the ``VALUE`` of a number cell, the captions that mark the
report tables) are taken from the *template* grammar once, without building a
parser, so no edition (and no broken plug-in) is compiled to get them.

Lark internals the library relies on (lark is pinned ``>=1.2,<2``; CI runs the
tests at 1.2.1 too), all of them, in one place:

* here: ``lark.load_grammar.GrammarBuilder`` (``load_grammar``, ``build``,
  ``_definitions``), ``Grammar.compile`` and ``PackageResource``, to list a
  grammar's terminals without building a parser;
* ``_lexer.CellLexer``: the custom-lexer protocol (``lark.lexer.Lexer`` with
  ``__future_interface__ = 2``, ``lexer_conf.terminals``, ``TerminalDef.pattern``,
  ``.priority``) and the LALR parser state it is handed (``parser_state.position``,
  ``.state_stack``, ``.parse_conf.states``);
* ``editions``: ``Lark.parser.lexer`` (the lexer instance of a built parser),
  ``Lark.rules`` (``origin``, ``expansion``) and ``Lark.terminals``;
* ``_diagnostics``: ``UnexpectedToken.state`` (``position``, ``parse_conf.states``).
"""

from __future__ import annotations

import pkgutil
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Optional, Pattern, Sequence, Union

from lark.load_grammar import FromPackageLoader, GrammarBuilder, PackageResource

__all__ = [
    "BLANK",
    "MISSING_MARKS",
    "NUMBER_PIECE",
    "PACKAGE",
    "package_loader",
    "read_grammar",
    "terminals",
    "template_terminals",
    "value_pattern",
    "template_markers",
    "label_characters",
    "printed_form",
]

#: The mark the document adapters write for a table cell left blank (the grammar's
#: ``VALUE`` reads it as a missing value; its printed text is recorded as ``""``).
BLANK = "∅"
#: Printed marks that mean "no value" (blank, dashes, slash, 无, 不适用, or BLANK).
MISSING_MARKS = re.compile(r"[—–―-]+|/|无|不适用|∅|")
#: A cell that can only continue the number printed before it (``.4476``, ``,234``):
#: the rest of a number cut into two cells.
NUMBER_PIECE = re.compile(r"[.,，．]\d+(?:[.,]\d+)*")

PACKAGE = "gov_disclosure"
GRAMMAR_DIR = "grammars"
TEMPLATE = "template.lark"

#: Terminals of the template grammar whose captions mark a text as holding report tables.
MARKER_TERMINALS = (
    "ARTICLE_1_H",
    "ARTICLE_5_H",
    "ARTICLE_6_H",
    "ARTICLE_8_H",
    "BALANCE_NOTE_H",
    "APPLICANTS_H",
    "LITIGATION_DIRECT_H",
    "LITIGATION_AFTER_REVIEW_H",
)


def package_loader() -> FromPackageLoader:
    """Lark import loader for the library's grammars (``%import template`` by name)."""
    return FromPackageLoader(PACKAGE, (GRAMMAR_DIR,))


def read_grammar(name: str) -> str:
    """The text of the library grammar ``name`` (``"template.lark"``)."""
    data = pkgutil.get_data(PACKAGE, f"{GRAMMAR_DIR}/{name}")
    if data is None:  # pragma: no cover - a loader without get_data
        raise FileNotFoundError(f"{PACKAGE}/{GRAMMAR_DIR}/{name}")
    return data.decode("utf-8")


def grammar_names() -> list[str]:
    """The library's grammar files (``template.lark``, ``edition_2019.lark`` …)."""
    return [TEMPLATE, "edition_2021.lark", "edition_2019.lark"]


def terminals(
    grammar: Union[str, Path], *, package: Optional[str] = None, import_paths: Sequence[Union[str, Path]] = ()
) -> dict[str, str]:
    """Every terminal of a grammar (after its imports): name → regular expression.

    ``grammar`` is a file path, or a path inside ``package`` when that is given.
    Names imported from other grammars keep Lark's namespaced form only when they
    were not imported by name.
    """
    loaders: list[object] = [*map(str, import_paths), package_loader()]
    if package is not None:
        own = FromPackageLoader(package, ("",))
        source, text = own(None, str(grammar))
        loaders.insert(0, own)
        name: Union[str, PackageResource] = source
    else:
        path = Path(grammar)
        text = path.read_text(encoding="utf-8")
        loaders.insert(0, str(path.parent))
        name = str(path)
    builder = GrammarBuilder(import_paths=loaders)  # type: ignore[arg-type]
    builder.load_grammar(text, name)  # type: ignore[arg-type]
    compiled, _, _ = builder.build().compile(["start"], set(builder._definitions))  # noqa: SLF001
    return {str(t.name): t.pattern.to_regexp() for t in compiled}


@lru_cache(maxsize=1)
def template_terminals() -> dict[str, str]:
    """The terminals of the template grammar (read once)."""
    return terminals(f"{GRAMMAR_DIR}/{TEMPLATE}", package=PACKAGE)


@lru_cache(maxsize=1)
def value_pattern() -> Pattern[str]:
    """The template's ``VALUE``: a number as printed, or a mark for an empty cell."""
    return re.compile(template_terminals()["VALUE"])


@lru_cache(maxsize=1)
def template_markers() -> Pattern[str]:
    """The captions every edition prints around its tables, as one search pattern."""
    found = template_terminals()
    # for a search, a leading optional bracket and a trailing ``.*`` add nothing but time
    forms = sorted({re.sub(r"^\\\(\?|\.\*$", "", found[name]) for name in MARKER_TERMINALS})
    return re.compile("|".join(forms))


_ESCAPED = re.compile(r"\\(.)")


def printed_form(pattern: str) -> str:
    """The fullest literal text a simple label pattern matches, for printing a label
    the way the template does: optional groups are kept (``(行政)?规范性文件`` →
    ``行政规范性文件``), a character class gives its first character, and a group
    holding a wildcard (``(\\(.{1,4}\\))?``) is left out."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            out.append(pattern[i + 1])
            i += 2
        elif c == "(":
            depth, j = 1, i + 1
            while j < n and depth:
                if pattern[j] == "\\":
                    j += 2
                    continue
                if pattern[j] == "[":
                    j = pattern.index("]", j + 2) + 1
                    continue
                depth += {"(": 1, ")": -1}.get(pattern[j], 0)
                j += 1
            inner = pattern[i + 1 : j - 1]
            if inner.startswith("?:"):
                inner = inner[2:]
            optional = j < n and pattern[j] == "?"
            text = printed_form(inner.split("|")[0]) if "|" not in inner else printed_form(inner.split("|")[0])
            if not (optional and ("." in _ESCAPED.sub("", inner))):
                out.append(text)
            i = j + (1 if optional else 0)
        elif c == "[":
            j = pattern.index("]", i + 2)
            out.append(pattern[i + 1])
            i = j + 1
            if i < n and pattern[i] in "?*+":
                i += 1
        elif c in "?*+^$":
            i += 1
        elif c == ".":
            i += 1
            if i < n and pattern[i] == "{":
                i = pattern.index("}", i) + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def label_characters() -> str:
    """Every CJK character of the library's grammars, sorted (the labels' vocabulary).

    :mod:`gov_disclosure._labelchars` holds the traditional forms of these,
    generated by ``python -m gov_disclosure._grammar`` (a test checks it is current).
    """
    chars: set[str] = set()
    for name in grammar_names():
        chars.update(c for c in read_grammar(name) if unicodedata.category(c) == "Lo" and "\u4e00" <= c <= "\u9fff")
    return "".join(sorted(chars))


def traditional_label_characters() -> str:
    """The traditional forms of the labels' characters that are not also simplified
    characters (OpenCC's STCharacters/TSCharacters), sorted."""
    import importlib.resources

    def read(name: str) -> list[tuple[str, list[str]]]:
        text = (importlib.resources.files("opencc") / "dictionary" / name).read_text(encoding="utf-8")
        pairs = []
        for line in text.splitlines():
            key, _, values = line.partition("\t")
            if key and values:
                pairs.append((key, values.split(" ")))
        return pairs

    ts = {src for src, dsts in read("TSCharacters.txt") if len(src) == 1 and len(dsts[0]) == 1 and src != dsts[0]}
    st = read("STCharacters.txt")
    simplified = {k for k, _ in st}
    vocabulary = set(label_characters())
    marks = {t for s, ts_ in st if s in vocabulary for t in ts_ if len(t) == 1 and t not in simplified and t in ts}
    return "".join(sorted(marks))


def _write_labelchars() -> str:  # pragma: no cover - run by hand after changing a grammar
    target = Path(__file__).with_name("_labelchars.py")
    target.write_text(
        '"""Generated by ``python -m gov_disclosure._grammar`` from the grammars and OpenCC; do not edit.\n\n'
        "The traditional forms of the characters the template's labels use: a text holding\n"
        'one of them is converted to simplified script before it is read."""\n\n'
        f"TRADITIONAL_LABEL_CHARACTERS = {traditional_label_characters()!r}\n",
        encoding="utf-8",
    )
    return str(target)


if __name__ == "__main__":  # pragma: no cover
    print(_write_labelchars())
