"""The edition registry: every template version is data registered here.

An :class:`Edition` names its grammar file, the attrs classes of its three tables
and a detector.  The library registers ``"2019"`` and ``"2021"``; a third party
adds a new template version with :func:`register` (from code) or through the
``gov_disclosure.editions`` entry-point group (from an installed package), without
editing the library.  See ``docs/extending.md``.
"""

from __future__ import annotations

import re
import threading
import warnings
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Pattern, Sequence, Union

import attrs
from lark import Lark
from lark.exceptions import LarkError

from .. import _grammar
from .. import schema as _schema
from .._build import ModelBuilder
from .._lexer import CellLexer, base_name
from ..errors import EditionError, UnknownEditionError

__all__ = [
    "Edition",
    "CompiledEdition",
    "Block",
    "Detection",
    "EditionWarning",
    "register",
    "unregister",
    "available",
    "get",
    "detect",
    "markers",
    "load_entry_points",
]

ENTRY_POINT_GROUP = "gov_disclosure.editions"

#: A detector's verdict: a score (0 = no match) and the reason, in words.
Detection = tuple[int, str]

BUILTIN = ("2021", "2019")


class EditionWarning(UserWarning):
    """A registered edition could not be used (its grammar does not compile, or its
    grammar and model disagree) and was skipped."""


def markers(*patterns: str, terminals: Optional[Callable[[], dict[str, str]]] = None) -> Callable[[str], Detection]:
    """A detector: 10 points per distinctive pattern found, 1 if only the shared
    template captions are there (so a report cut before its distinctive headers
    still goes to the newest edition, whose parser then says what is missing).

    With ``terminals`` (a function returning a grammar's terminals), ``patterns``
    are terminal *names* of that grammar, resolved on first use: the detector then
    looks for exactly the headers the grammar reads.
    """
    compiled: list[tuple[str, Pattern[str]]] = []

    def resolve() -> list[tuple[str, Pattern[str]]]:
        if not compiled:
            found = {base_name(k): v for k, v in terminals().items()} if terminals is not None else {}
            for p in patterns:
                if terminals is not None and p not in found:
                    raise EditionError(f"markers(): the grammar has no terminal {p!r}")
                rx = found[p] if terminals is not None else p
                compiled.append((_grammar.printed_form(rx) if terminals is not None else p, re.compile(rx)))
        return compiled

    def detector(text: str) -> Detection:
        wanted = resolve()
        found = [name for name, rx in wanted if rx.search(text)]
        names = ", ".join(name for name, _ in wanted)
        if found:
            return 10 * len(found), "found " + ", ".join(found)
        shared = _grammar.template_markers().search(text)
        if shared:
            return 1, f"found only the shared template caption {shared.group()!r}, none of {names}"
        return 0, f"none of {names} found"

    return detector


@attrs.frozen
class Edition:
    """A template edition.

    ``grammar`` is the path of its ``.lark`` file, or, with ``package``, its path
    inside that package (loaded with :meth:`lark.Lark.open_from_package`, so it
    works from a zipped package).  It may ``%import template (...)`` from the
    library by name.  ``tables`` maps ``active_disclosure``, ``applications`` and
    ``appeals`` to attrs classes whose field names are the grammar's rule names;
    ``detect`` scores normalised report text (higher = more certain, 0 = not this
    edition).
    """

    name: str
    grammar: Union[str, Path]
    tables: dict[str, type]
    detect: Callable[[str], Detection] = attrs.field(eq=False)
    description: str = ""
    import_paths: Sequence[Union[str, Path]] = ()
    package: Optional[str] = None

    def compile(self) -> "CompiledEdition":
        """The parser for this edition, built once and cached.

        Raises :class:`~gov_disclosure.errors.EditionError` when the grammar does
        not compile or disagrees with the model.
        """
        return _compiled(self)

    def terminals(self) -> dict[str, str]:
        """The grammar's terminals (name → regular expression), without building a parser."""
        return _grammar.terminals(self.grammar, package=self.package, import_paths=self.import_paths)


@attrs.frozen(eq=False)
class CompiledEdition:
    """An edition with its Lark parser built (see :meth:`Edition.compile`)."""

    edition: Edition
    lark: Lark
    lexer: CellLexer
    builder: ModelBuilder

    @property
    def value_re(self) -> "re.Pattern[str]":
        return self.lexer.value_re

    def table_two_blocks(self) -> "tuple[Block, ...]":
        """Table 二's blocks as the grammar states them (caption, headers, rows)."""
        try:
            return _blocks[self.edition.name][1] if _blocks[self.edition.name][0] is self else _table_two(self)
        except KeyError:
            return _table_two(self)

    def rule_names(self) -> set[str]:
        """Every grammar rule a transformer must handle (inlined ``_rules`` excluded)."""
        return {str(r.origin.name) for r in self.lark.rules if not str(r.origin.name).startswith("_")}


@attrs.frozen
class Block:
    """A block of table 二 as the grammar states it: the caption (``第二十条第(一)项``),
    the header of the label column (``信息内容``), the column headers and the rows
    (model field names), in order."""

    caption: str
    label_header: str
    headers: tuple[str, ...]
    rows: tuple[str, ...]


_blocks: dict[str, tuple[CompiledEdition, tuple[Block, ...]]] = {}


def _table_two(compiled: CompiledEdition) -> tuple[Block, ...]:
    by_origin: dict[str, Any] = {}
    for rule in compiled.lark.rules:
        by_origin.setdefault(str(rule.origin.name), rule)
    row_names = {r.name for r in compiled.builder.schema.table("active_disclosure").rows}
    patterns = {str(t.name): t.pattern.to_regexp() for t in compiled.lark.terminals}

    def flatten(name: str, terms: list[str], rows: list[str]) -> None:
        rule = by_origin[name]
        for sym in rule.expansion:
            if sym.is_term:
                if base_name(sym.name) not in ("VALUE", "TEXT"):
                    terms.append(_grammar.printed_form(patterns[sym.name]))
            elif base_name(sym.name) in row_names:
                rows.append(base_name(sym.name))
                if not terms:
                    raise EditionError(f"edition {compiled.edition.name!r}: a table-二 row before its caption")
            else:
                flatten(sym.name, terms, rows)

    table = next(name for name in by_origin if base_name(name) == "active_disclosure")
    blocks = []
    for sym in by_origin[table].expansion:
        terms: list[str] = []
        rows: list[str] = []
        if sym.is_term:
            continue
        flatten(sym.name, terms, rows)
        if len(terms) < 2:
            raise EditionError(f"edition {compiled.edition.name!r}: a table-二 block without caption and header")
        blocks.append(Block(terms[0], terms[1], tuple(terms[2:]), tuple(rows)))
    result = tuple(blocks)
    _blocks[compiled.edition.name] = (compiled, result)
    return result


_registry: dict[str, Edition] = {}
_lock = threading.Lock()
_cache: dict[str, CompiledEdition] = {}
_entry_points_loaded = False


def _compiled(edition: Edition) -> CompiledEdition:
    try:
        return _cache[edition.name]
    except KeyError:
        pass
    with _lock:
        if edition.name not in _cache:
            _cache[edition.name] = _build(edition)
        return _cache[edition.name]


def _build(edition: Edition) -> CompiledEdition:
    try:
        builder = ModelBuilder(edition.tables)
    except ValueError as exc:
        raise EditionError(f"edition {edition.name!r}: {exc}") from None
    options: dict[str, Any] = dict(parser="lalr", lexer=CellLexer, transformer=builder, maybe_placeholders=False)
    loaders: list[Any] = [*map(str, edition.import_paths), _grammar.package_loader()]
    try:
        if edition.package is not None:
            lark = Lark.open_from_package(edition.package, str(edition.grammar), ("",), import_paths=loaders, **options)
        else:
            lark = Lark.open(str(edition.grammar), import_paths=loaders, **options)
    except (LarkError, OSError) as exc:
        raise EditionError(f"edition {edition.name!r}: its grammar {str(edition.grammar)!r} does not compile: {exc}") from None
    compiled = CompiledEdition(edition, lark, lark.parser.lexer, builder)  # type: ignore[arg-type]
    check_edition(compiled)
    sizes = {row.name: len(row.cells) for row in builder.schema.rows.values()}
    for rule in lark.rules:
        name = base_name(str(rule.origin.name))
        first = rule.expansion[0] if rule.expansion else None
        if name in sizes and first is not None and first.is_term and base_name(first.name) != "VALUE":
            compiled.lexer.row_sizes[str(first.name)] = sizes[name]
    return compiled


def check_edition(compiled: CompiledEdition) -> None:
    """The grammar and the model agree: every grammar rule has a model field, every
    model row a grammar rule, and every row rule reads as many numbers as its class
    has cells.  Raises :class:`~gov_disclosure.errors.EditionError` otherwise."""
    name = compiled.edition.name
    shape = compiled.builder.schema
    rules = {base_name(r) for r in compiled.rule_names()}
    unhandled = sorted(r for r in rules if not compiled.builder.handles(r))
    unparsed = sorted(set(shape.rule_classes) - rules)
    if unhandled or unparsed:
        raise EditionError(
            f"edition {name!r}: grammar rules without a model field: {unhandled or 'none'}; "
            f"model rows without a grammar rule: {unparsed or 'none'}"
        )
    sizes = {row.name: len(row.cells) for row in shape.rows.values()}
    for rule in compiled.lark.rules:
        rule_name = base_name(str(rule.origin.name))
        if rule_name not in sizes:
            continue
        numbers = sum(1 for sym in rule.expansion if sym.is_term and base_name(sym.name) == "VALUE")
        if numbers != sizes[rule_name]:
            row_cls = shape.rule_classes[rule_name].__name__
            raise EditionError(
                f"edition {name!r}: the grammar rule {rule_name!r} reads {numbers} numbers, "
                f"but its model class {row_cls} has {sizes[rule_name]} cells"
            )


def register(edition: Edition, *, replace: bool = False) -> Edition:
    """Add an edition to the registry (``replace=True`` to redefine one)."""
    if not replace and edition.name in _registry and _registry[edition.name] != edition:
        raise ValueError(f"an edition named {edition.name!r} is already registered")
    _registry[edition.name] = edition
    _cache.pop(edition.name, None)
    _warned.discard(edition.name)
    _schema.register_tables(edition.name, edition.tables)
    return edition


def unregister(name: str) -> None:
    """Remove an edition from the registry."""
    _registry.pop(name, None)
    _cache.pop(name, None)
    _schema.unregister_tables(name)


def load_entry_points(reload: bool = False) -> None:
    """Register the editions installed packages declare in the entry-point group
    ``gov_disclosure.editions`` (done once, on first use of the registry)."""
    global _entry_points_loaded
    if _entry_points_loaded and not reload:
        return
    _entry_points_loaded = True
    from importlib import metadata  # slow to import; only needed here
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
            edition = obj() if callable(obj) and not isinstance(obj, Edition) else obj
        except Exception as exc:  # a broken plug-in must not break parsing
            warnings.warn(f"gov_disclosure: edition entry point {ep.name!r} failed to load: {exc}", stacklevel=2)
            continue
        if not isinstance(edition, Edition):
            warnings.warn(f"gov_disclosure: entry point {ep.name!r} gave {edition!r}, not an Edition", stacklevel=2)
            continue
        if edition.name not in _registry:
            register(edition)


def available() -> list[str]:
    """Names of the registered editions, newest first."""
    load_entry_points()
    return sorted(_registry, reverse=True)


def get(name: str) -> Edition:
    """The registered edition called ``name``."""
    load_entry_points()
    try:
        return _registry[name]
    except KeyError:
        raise UnknownEditionError(
            {name: "not registered"},
            message=f"no edition named {name!r}; available: {', '.join(available())}",
        ) from None


def all_editions() -> Iterable[Edition]:
    load_entry_points()
    return [_registry[n] for n in available()]


_PRE_2019 = re.compile(r"当面申请|传真申请|同意公开答复|不同意公开答复|属于已主动公开范围|告知作出更改补充|收费及减免|维持具体行政行为|被依法纠错|国务院令第492号")


def _ranked(text: str) -> list[Edition]:
    """The editions whose detector accepts ``text``, best first (ties: newest name)."""
    scored: list[tuple[int, str, Edition]] = []
    reasons: dict[str, str] = {}
    for edition in all_editions():
        score, reason = edition.detect(text)
        reasons[edition.name] = reason
        if score > 0:
            scored.append((score, edition.name, edition))
    if not scored:
        old = _PRE_2019.search(text)
        if old:
            reasons["note"] = f"the text uses pre-2019 statistics ({old.group()}), which have no fixed tables"
        raise UnknownEditionError(reasons)
    scored.sort(key=lambda s: (-s[0], [-ord(c) for c in s[1]]))
    return [e for _, _, e in scored]


def detect(text: str) -> Edition:
    """The edition that fits ``text`` (normalised cell text) best.

    Raises :class:`UnknownEditionError` naming every edition tried and why it did
    not match.
    """
    return _ranked(text)[0]


_warned: set[str] = set()


def detect_compiled(text: str) -> CompiledEdition:
    """The best edition for ``text`` that compiles.

    A plug-in edition whose grammar does not compile (or disagrees with its
    model) is skipped with an :class:`EditionWarning` naming it, so a broken
    plug-in never stops the built-in editions from reading a report.
    """
    ranked = _ranked(text)
    for edition in ranked:
        try:
            return edition.compile()
        except EditionError as exc:
            if edition.name in BUILTIN:
                raise
            if edition.name not in _warned:
                _warned.add(edition.name)
                warnings.warn(f"gov_disclosure: skipped the edition {edition.name!r}: {exc}", EditionWarning, stacklevel=3)
    raise UnknownEditionError({e.name: "does not compile" for e in ranked})


def _builtin() -> None:
    from ..model import ActiveDisclosure2019, ActiveDisclosure2021, Appeals, Applications, Applications2019

    builtin = [
        ("2021", ActiveDisclosure2021, Applications, ("ISSUED_H", "REPEALED_H", "IN_FORCE_H"),
         "国办公开办函〔2021〕30号: reports on 2021 and later"),
        ("2019", ActiveDisclosure2019, Applications2019,
         ("NEW_MADE_H", "NEW_PUBLISHED_H", "TOTAL_PUBLISHED_H", "PREVIOUS_ITEMS_H", "PROCUREMENT"),
         "国办公开办函〔2019〕60号 (试行): reports on 2019 and 2020"),
    ]
    for name, active, applications, distinctive, description in builtin:
        grammar = f"{_grammar.GRAMMAR_DIR}/edition_{name}.lark"
        register(
            Edition(
                name=name,
                grammar=grammar,
                package=_grammar.PACKAGE,
                tables={"active_disclosure": active, "applications": applications, "appeals": Appeals},
                detect=markers(*distinctive, terminals=_terminals_of(grammar)),
                description=description,
            )
        )


def _terminals_of(grammar: str) -> Callable[[], dict[str, str]]:
    def load() -> dict[str, str]:
        return _grammar.terminals(grammar, package=_grammar.PACKAGE)

    return load


_builtin()
