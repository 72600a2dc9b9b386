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
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Sequence, Union

import attrs
from lark import Lark

from ..build import ModelBuilder, model_rules
from ..errors import UnknownEditionError
from ..lexer import CellLexer, base_name

__all__ = [
    "Edition",
    "Detection",
    "register",
    "unregister",
    "available",
    "get",
    "grammar_dir",
    "detect",
    "CompiledEdition",
    "load_entry_points",
    "markers",
]

ENTRY_POINT_GROUP = "gov_disclosure.editions"

#: A detector's verdict: a score (0 = no match) and the reason, in words.
Detection = tuple[int, str]


def grammar_dir() -> Path:
    """The directory holding the library's ``.lark`` files.

    In a wheel they are package data (``gov_disclosure/grammars``); in a source
    checkout or editable install they are the repository's top-level ``grammars/``.
    """
    packaged = resources.files("gov_disclosure") / "grammars"
    if packaged.is_dir():
        return Path(str(packaged))
    source = Path(__file__).resolve().parents[3] / "grammars"
    if source.is_dir():
        return source
    raise FileNotFoundError("gov_disclosure grammars not found; the installation is incomplete")


#: Cells every template edition prints (table captions and headers).
TEMPLATE_MARKERS = re.compile(r"第二十条第\([一五六八九]\)项|勾稽关系|申请人情况|未经复议直接起诉|复议后起诉")


def markers(*patterns: str) -> Callable[[str], Detection]:
    """A detector: 10 points per distinctive pattern found, 1 if only the shared
    template captions are there (so a report cut before its distinctive headers
    still goes to the newest edition, whose parser then says what is missing)."""
    compiled = [(p, re.compile(p)) for p in patterns]

    def detector(text: str) -> Detection:
        found = [p for p, rx in compiled if rx.search(text)]
        if found:
            return 10 * len(found), "found " + ", ".join(found)
        shared = TEMPLATE_MARKERS.search(text)
        if shared:
            return 1, f"found only the shared template caption {shared.group()!r}, none of " + ", ".join(patterns)
        return 0, "none of " + ", ".join(patterns) + " found"

    return detector


@attrs.frozen
class Edition:
    """A template edition.

    ``grammar`` is the path of its ``.lark`` file (it may ``%import`` the library's
    ``template`` and ``edition_*`` grammars by name); ``tables`` maps
    ``active_disclosure``, ``applications`` and ``appeals`` to attrs classes whose
    field names are the grammar's rule names; ``detect`` scores normalised report
    text (higher = more certain, 0 = not this edition).
    """

    name: str
    grammar: Union[str, Path]
    tables: dict[str, type]
    detect: Callable[[str], Detection]
    description: str = ""
    import_paths: Sequence[Union[str, Path]] = ()

    def compile(self) -> "CompiledEdition":
        """The parser for this edition, built once and cached."""
        return _compiled(self)


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

    def rule_names(self) -> set[str]:
        """Every grammar rule a transformer must handle (inlined ``_rules`` excluded)."""
        return {str(r.origin.name) for r in self.lark.rules if not str(r.origin.name).startswith("_")}


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
            builder = ModelBuilder(edition.tables)
            lark = Lark.open(
                str(edition.grammar),
                parser="lalr",
                lexer=CellLexer,
                transformer=builder,
                import_paths=[str(grammar_dir()), *map(str, edition.import_paths)],
                maybe_placeholders=False,
            )
            compiled = CompiledEdition(edition, lark, lark.parser.lexer, builder)
            check_edition(compiled)
            _cache[edition.name] = compiled
        return _cache[edition.name]


def check_edition(compiled: CompiledEdition) -> None:
    """Every grammar rule has a model class, and every model row has a grammar rule."""
    from ..errors import GovDisclosureError

    rules = {base_name(r) for r in compiled.rule_names()}
    unhandled = sorted(r for r in rules if not compiled.builder.handles(r))
    wanted = set(model_rules(compiled.edition.tables))
    unparsed = sorted(wanted - rules)
    if unhandled or unparsed:
        raise GovDisclosureError(
            f"edition {compiled.edition.name!r}: grammar rules without a model field: {unhandled or 'none'}; "
            f"model rows without a grammar rule: {unparsed or 'none'}"
        )


def register(edition: Edition, *, replace: bool = False) -> Edition:
    """Add an edition to the registry (``replace=True`` to redefine one)."""
    if not replace and edition.name in _registry and _registry[edition.name] != edition:
        raise ValueError(f"an edition named {edition.name!r} is already registered")
    _registry[edition.name] = edition
    _cache.pop(edition.name, None)
    return edition


def unregister(name: str) -> None:
    """Remove an edition from the registry."""
    _registry.pop(name, None)
    _cache.pop(name, None)


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


def detect(text: str) -> Edition:
    """The edition that fits ``text`` (normalised cell text) best.

    Raises :class:`UnknownEditionError` naming every edition tried and why it did
    not match.
    """
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
    return scored[0][2]


def _builtin() -> None:
    from ..model import ActiveDisclosure2019, ActiveDisclosure2021, Appeals, Applications, Applications2019

    builtin = [
        ("2021", ActiveDisclosure2021, Applications,
         ("本年制发件数", "本年废止件数", "现行有效件数", "逾期不补正", "收费通知"),
         "国办公开办函〔2021〕30号: reports on 2021 and later"),
        ("2019", ActiveDisclosure2019, Applications2019,
         ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "政府集中采购"),
         "国办公开办函〔2019〕60号 (试行): reports on 2019 and 2020"),
    ]
    for name, active, applications, distinctive, description in builtin:
        register(
            Edition(
                name=name,
                grammar=grammar_dir() / f"edition_{name}.lark",
                tables={"active_disclosure": active, "applications": applications, "appeals": Appeals},
                detect=markers(*distinctive),
                description=description,
            )
        )


_builtin()
