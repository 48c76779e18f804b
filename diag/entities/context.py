"""The state the name rules of one aligned pair read, and what a rule returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from diag.entities.lexicon import Lexicon
from diag.entities.mentions import Side
from diag.entities.pairing import Opcodes
from diag.entities.tokens import Token, mostly_upper
from diag.entities.words import word_norms
from diag.model import Finding


@dataclass(frozen=True)
class Found:
    """A finding with the structure later steps merge by (never by parsing its message).

    ``verb`` is the reporting verb of a dropped attribution (", said Brian Wong").
    """

    finding: Finding
    verb: str | None = None

    @property
    def key(self) -> tuple[int | None, str, tuple[int, int] | None, tuple[int, int] | None]:
        """Pair, type and both spans: what identifies a finding among those of one document."""
        f = self.finding
        ref = (f.reference.start, f.reference.end) if f.reference else None
        cand = (f.candidate.start, f.candidate.end) if f.candidate else None
        return f.pair, f.type, ref, cand


@dataclass
class PairContext:
    """One aligned pair under check: both sides, the document-wide word sets, the acronyms the two
    documents define in brackets (``definitions.defined_acronyms``), and which candidate names are
    already accounted for (``used``) or taken by a casing finding (``casing_taken``)."""

    ref: Side
    cand: Side
    pair: int
    close: bool
    lex: Lexicon
    ref_doc_words: frozenset[str]
    cand_doc_words: frozenset[str]
    opcodes: Opcodes
    definitions: Mapping[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    casing_taken: set[int] = field(default_factory=set)

    @cached_property
    def ref_words(self) -> list[str]:
        return word_norms(self.ref)

    @cached_property
    def cand_words(self) -> list[str]:
        return word_norms(self.cand)

    @cached_property
    def cand_upper(self) -> bool:
        return mostly_upper(self.cand.tokens)

    @cached_property
    def cand_keyseqs(self) -> list[list[str]]:
        """Each candidate name's folded words, connectors left out."""
        return [[t.norm for t in self.cand.tokens[m.first : m.last + 1] if t.is_word and t.norm not in self.lex.connector]
                for m in self.cand.names]

    @cached_property
    def cand_tok_words(self) -> list[Token]:
        return [t for t in self.cand.tokens if t.is_word]

    @cached_property
    def cand_norm_seq(self) -> list[str]:
        return [t.norm for t in self.cand_tok_words]

    @cached_property
    def cand_text_seq(self) -> list[str]:
        return [t.text for t in self.cand_tok_words]


@dataclass(frozen=True)
class Outcome:
    """A name rule's answer for one reference name: the candidate names it accounts for and its findings
    (none for an acceptable variant). ``casing_at`` is the candidate word a casing finding took."""

    used: frozenset[int] = frozenset()
    found: tuple[Found, ...] = ()
    casing_at: int | None = None
