"""The cell lexer: one Lark token per cell, matched against the grammar's terminals.

Lark's own lexers scan characters; our input is already cut into cells by the
normaliser, and a cell is the unit the grammar talks about.  This lexer keeps
Lark's contextual idea at cell level: a cell becomes the terminal(s) that match
the *whole* cell (longest match first, several terminals if a cell holds several
labels, e.g. ``(三)不予公开1.属于国家秘密``), provided the parser can take that
terminal now; otherwise it is ``TEXT`` where the parser accepts narrative.  Inside
a table a label broken over several cells (PDF text: ``(三)不`` / ``予公开``) is
joined with the following non-number cells until it matches.  Nothing else is
guessed: a cell that fits nowhere goes to the parser as it is, which then raises
an error at that cell.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Optional, Pattern, Sequence

from lark import Token
from lark.lexer import Lexer

from ._grammar import BLANK, NUMBER_PIECE
from ._normalize import ROW_END, Cell

__all__ = ["CellStream", "CellLexer", "MAX_JOIN"]

#: How many following cells a broken label may span.
MAX_JOIN = 12


_new_str = str.__new__


class CellStream:
    """The parser's input: the cells of one report, and the tokens lexed so far."""

    __slots__ = ("cells", "history")

    def __init__(self, cells: Sequence[Cell]) -> None:
        self.cells = cells
        self.history: list[Token] = []


def base_name(name: str) -> str:
    """``template__STATE_SECRET`` → ``STATE_SECRET`` (Lark namespaces imported names)."""
    return name.rsplit("__", 1)[-1] if not name.startswith("__") else name


class CellLexer(Lexer):
    """A Lark custom lexer over a :class:`CellStream`."""

    __future_interface__ = 2

    def __init__(self, lexer_conf: Any) -> None:
        terminals = [t for t in lexer_conf.terminals if t.pattern is not None]
        # Lark's names are Token objects; plain str keeps comparisons in C.
        self.terminals = {str(t.name): t for t in terminals}
        self.text_type = "TEXT"
        self.value_type = next(name for name in self.terminals if base_name(name) == "VALUE")
        self.value_re: Pattern[str] = re.compile(self.terminals[self.value_type].pattern.to_regexp())
        ordered = sorted(terminals, key=lambda t: (-t.priority, str(t.name)))
        self.patterns = [(str(t.name), re.compile(t.pattern.to_regexp())) for t in ordered]
        self._cache: dict[str, Optional[tuple[tuple[str, str], ...]]] = {}
        self._states: dict[Any, tuple[frozenset[str], Optional[Pattern[str]]]] = {}
        # The parse table's own key objects, by name: a token whose type *is* the
        # table's key is found by identity (no Python-level Token.__eq__ calls).
        self._keys: Optional[dict[str, Any]] = None
        #: row label terminal -> the row's number of cells (set by the edition)
        self.row_sizes: dict[str, int] = {}

    # -- matching ------------------------------------------------------------------

    def tokenize(self, text: str) -> Optional[tuple[tuple[str, str], ...]]:
        """The terminals that together match all of ``text`` (longest first), or None."""
        try:
            return self._cache[text]
        except KeyError:
            pass
        result: Optional[tuple[tuple[str, str], ...]]
        if self.value_re.match(text):
            result = ((self.value_type, text),)
        else:
            parts: list[tuple[str, str]] = []
            pos, end = 0, len(text)
            while pos < end:
                best: Optional[tuple[str, int]] = None
                for name, rx in self.patterns:
                    m = rx.match(text, pos)
                    if m and m.end() > pos and (best is None or m.end() > best[1]):
                        best = (name, m.end())
                if best is None:
                    parts = []
                    break
                parts.append((best[0], text[pos : best[1]]))
                pos = best[1]
            result = tuple(parts) if parts else None
        if len(self._cache) > 20000:
            self._cache.clear()
        self._cache[text] = result
        return result

    def _state(self, parser_state: Any) -> tuple[frozenset[str], Optional[Pattern[str]]]:
        """Terminals the parser accepts now, and a quick pre-check for them."""
        position = parser_state.position
        try:
            return self._states[position]
        except KeyError:
            pass
        accepts = frozenset(str(name) for name in parser_state.parse_conf.states[position])
        alternatives = [rx.pattern for name, rx in self.patterns if name in accepts]
        pre = re.compile("|".join(f"(?:{a})" for a in alternatives)) if alternatives else None
        self._states[position] = (accepts, pre)
        return accepts, pre

    # -- Lark interface -------------------------------------------------------------

    def lex(self, lexer_state: Any, parser_state: Any) -> Iterator[Token]:
        stream: CellStream = lexer_state.text
        cells = stream.cells
        history = stream.history
        append = history.append
        keys = self._keys
        if keys is None:
            keys = self._keys = {str(k): k for state in parser_state.parse_conf.states.values() for k in state}
        text_type = self.text_type
        value_type = self.value_type
        value_key = keys.get(value_type, value_type)
        states = self._states
        stack = parser_state.state_stack
        tokenize = self.tokenize
        new = _new_str
        i, n = 0, len(cells)
        while i < n:
            text, line, column = cells[i]
            position = stack[-1]
            try:
                accepts, pre = states[position]
            except KeyError:
                accepts, pre = self._state(parser_state)
            if text is ROW_END:  # the normaliser's own constant: an identity test
                # a row end where the parser still wants numbers, inside a row: an error
                if value_type in accepts and self._mid_row(history, value_key):
                    tok = Token("ROW_END", "the end of its table row", line=line, column=column)
                    append(tok)
                    yield tok
                i += 1
                continue
            if text == BLANK and value_type not in accepts and history and history[-1].type is value_key:
                # a blank grid cell after a complete row: the rest of a merged cell
                i += 1
                continue
            if text[0] in ".,，．" and history and history[-1].type is value_key and NUMBER_PIECE.fullmatch(text):
                # ``3664 |`` / ``.4476 |``: the rest of the number before, cut off into a
                # cell of its own; neither part is a number that can be read safely
                tok = Token("NUMBER_PIECE", text, line=line, column=column)
                append(tok)
                yield tok
                i += 1
                continue
            if text_type in accepts and (pre is None or not pre.match(text)):
                parts: Optional[tuple[tuple[str, str], ...]] = ((text_type, text),)
                if history and history[-1].type is value_key and self.value_re.match(text):
                    # a number right after a table's last number is an extra cell of
                    # that table (or the table's numbers are shifted), never narrative
                    parts = ((value_type, text),)
            elif value_type in accepts and text.isdigit():
                parts = ((value_type, text),)
            else:
                parts = tokenize(text)
                if parts is None or parts[0][0] not in accepts:
                    if text_type in accepts:
                        parts = ((text_type, text),)
                    else:
                        joined, i = self._join(cells, i, accepts)
                        parts = joined or parts or ((text_type, text),)
            # a cell holding several tokens (a label with its number glued on:
            # ``4.保护第三方合法权益10``) puts each at its own place in the line
            several = len(parts) > 1  # type: ignore[arg-type]
            offset = 0
            for kind, value in parts:  # type: ignore[union-attr]
                tok = new(Token, value)
                tok.type = keys.get(kind, kind)
                tok.value = value
                tok.start_pos = tok.end_pos = None
                tok.line = tok.end_line = line
                at = text.find(value, offset) if several else -1
                if at >= 0:
                    offset = at + len(value)
                tok.column = tok.end_column = column + max(at, 0)
                append(tok)
                yield tok
            i += 1

    def _mid_row(self, history: list[Token], value_key: Any) -> bool:
        """True if the tokens so far end inside a row: its label and fewer numbers than it has."""
        seen = 0
        for tok in reversed(history):
            if tok.type is value_key or tok.type == self.value_type:
                seen += 1
                continue
            size = self.row_sizes.get(str(tok.type))
            return size is not None and 0 < seen < size
        return False

    def _join(
        self, cells: Sequence[Cell], i: int, accepts: frozenset[str]
    ) -> tuple[Optional[tuple[tuple[str, str], ...]], int]:
        """Join cell ``i`` with following non-number cells until a label matches."""
        text = cells[i].text
        for k in range(i + 1, min(i + MAX_JOIN, len(cells))):
            nxt = cells[k].text
            if nxt == ROW_END or self.value_re.match(nxt):
                break
            text += nxt
            parts = self.tokenize(text)
            if parts is not None and parts[0][0] in accepts:
                return parts, k
        return None, i
