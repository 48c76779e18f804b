"""The name rules: an ordered registry of small named checks, each ``(context, reference name) -> Outcome | None``.

A rule that recognises how the candidate renders the name returns an ``Outcome``: the candidate
names it accounts for and its findings (none for an acceptable variant, a note for casing or
name order, a finding for a name cut out of a close rendering). ``None`` passes the name on to the
next rule; a name no rule recognises goes to the pairing (``diag.entities.damage``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from diag import lexdata
from diag.entities import messages
from diag.entities.context import Found, Outcome, PairContext
from diag.entities.decide import Evidence, decide
from diag.entities.lexicon import squash
from diag.entities.mentions import Mention
from diag.entities.pairing import deleted_words, local_replacement
from diag.entities.people import person_like, person_words, titled_person
from diag.entities.tokens import HYPHENS, Token
from diag.entities.words import (
    contains_all,
    equivalent,
    find_seq,
    generic_word,
    grammatical_form,
    initials,
    same_place,
    same_sound,
    same_word,
    stem_of,
)

NameRule = Callable[[PairContext, Mention], "Outcome | None"]


def _covering(ctx: PairContext, r: Mention) -> frozenset[int]:
    """Candidate names whose every word is a word of ``r``."""
    return frozenset(ci for ci, keys in enumerate(ctx.cand_keyseqs) if keys and contains_all(keys, r.keys))


def _words(ctx: PairContext, r: Mention, attr: str) -> list[str]:
    return [getattr(t, attr) for t in ctx.ref.tokens[r.first : r.last + 1] if t.is_word]


#: A possessive ending, which a rendering may drop ("Ana Ruiz's team" / "the team of Ana Ruiz").
_POSSESSIVE = re.compile(r"['’]s$")


def verbatim(ctx: PairContext, r: Mention) -> Outcome | None:
    """The name's words stand in the candidate as written (a possessive may go)."""
    ref_text_seq = _words(ctx, r, "text")
    if find_seq(ref_text_seq, ctx.cand_text_seq) >= 0:
        return Outcome(used=_covering(ctx, r))
    bare = [_POSSESSIVE.sub("", x) for x in ref_text_seq]
    if bare != ref_text_seq and find_seq(bare, ctx.cand_text_seq) >= 0:  # (unchanged, it was just looked for)
        return Outcome(used=_covering(ctx, r))
    return None


def addressed_short_form(ctx: PairContext, r: Mention) -> Outcome | None:
    """A person's full name given as its family name after a form of address or a title ("Zhang Wei" /
    "Mr. Zhang", "He Wenbo" / "Mr. He", "Li Qiang" / "Premier Li"): the usual short form, not a cut."""
    lex = ctx.lex
    if not titled_person(ctx.ref, r, lex):
        return None
    words, _titles = person_words(ctx.ref, r, lex)
    if len(words) < 2:
        return None
    ends = {words[0], words[-1]}
    toks = ctx.cand.tokens
    for k, t in enumerate(toks[1:], start=1):
        if not (t.is_word and t.capitalised and t.norm in ends):
            continue
        if k + 1 < len(toks) and toks[k + 1].is_word and toks[k + 1].capitalised:
            continue  # more of a name follows: not the family name alone ("Minister Pham Minh Thanh")
        before = k - 2 if toks[k - 1].text == "." and k >= 2 else k - 1
        if toks[before].norm in lexdata.honorifics() or toks[before].norm in lex.title:
            return Outcome(used=frozenset(ci for ci, c in enumerate(ctx.cand.names) if c.first <= k <= c.last))
    return None


def cut_out(ctx: PairContext, r: Mention) -> Outcome | None:
    """In a close rendering, a token alignment simply cuts the name's words out (nothing in their place)."""
    if not ctx.close or r.weak:
        return None
    ref, lex = ctx.ref, ctx.lex
    cut = deleted_words(r, ref, ctx.opcodes, lex)
    # a candidate name sharing a word elsewhere in the sentence is this one moved and changed, not a cut
    # and so is one spelt another way ("the Oryol submarine" / "the submarine Orel")
    kin = any(ci not in ctx.used and (any(same_word(k, w) for k in r.keys for w in keys
                                          if w not in lex.title and k not in lex.title)
                                      or (bool(keys) and same_sound(" ".join(r.keys), " ".join(keys))))
              and not contains_all(keys, r.keys) for ci, keys in enumerate(ctx.cand_keyseqs))
    if not cut or kin or contains_all(r.keys, ctx.cand_words) or _alias_present(ctx, r):
        return None
    moved = all(any(same_word(ref.tokens[k].norm, w) for w in ctx.cand_words) for k in cut)
    decision = decide(Evidence("cut", moved=moved, generic=_generic_cut(ctx, r, cut),
                               short_form=_named_by_part(ctx, r, cut)))
    assert decision is not None
    first, last = cut[0], cut[-1]
    part = Mention("name", first, last, ref.tokens[first].start, ref.tokens[last].end, "", keys=r.keys)
    ptext = ref.doc.text[part.start : part.end]
    rtext = ref.doc.text[r.start : r.end]
    return Outcome(found=(Found(messages.finding(decision.category, decision.type, decision.severity,
                                                 messages.missing(ptext, whole=rtext), ref, part, ctx.cand, None,
                                                 ctx.pair, rtext)),))


def _named_by_part(ctx: PairContext, r: Mention, cut: list[int]) -> bool:
    """A person named by part of their name: the cut words open or close a person's name of two or three words,
    the rest of it stands in the candidate sentence and the candidate names the person in full elsewhere ("Ana
    Ruiz said" / "Ruiz said" after "Ana Ruiz" in an earlier sentence): the usual short form of a name the reader
    knows, not a person cut out."""
    lex = ctx.lex
    if not person_like(ctx.ref, r, lex) or same_place(ctx.ref.doc.text[r.start : r.end], ctx.ref.doc.text[r.start : r.end]):
        return False
    toks = [k for k in range(r.first, r.last + 1) if ctx.ref.tokens[k].is_word and ctx.ref.tokens[k].norm not in lex.title]
    if not 2 <= len(toks) <= 3 or not set(cut) < set(toks):
        return False
    rest = [k for k in toks if k not in cut]
    ends = toks[: len(cut)] == cut or toks[len(toks) - len(cut) :] == cut
    return (ends and all(any(same_word(ctx.ref.tokens[k].norm, w) for w in ctx.cand_words) for k in rest)
            and all(ctx.ref.tokens[k].norm in ctx.cand_doc_words for k in cut))


def _generic_cut(ctx: PairContext, r: Mention, cut: list[int]) -> bool:
    """Only generic words are cut from the name, the rest of it kept ("Ice" of "Youth Ice Hockey League" /
    "Youth Hockey League"): a translator's wording, as ``damage.generic_change`` says for a changed word."""
    lex = ctx.lex
    gone = {ctx.ref.tokens[k].norm for k in cut}
    words = [t.norm for t in _content(ctx, ctx.ref.tokens[r.first : r.last + 1])]
    kept = [k for k in words if k not in gone]
    if not kept or not all(generic_word(k, lex) for k in gone):
        return False
    return not person_like(ctx.ref, r, lex) or all(generic_word(k, lex) for k in words)


def _alias_present(ctx: PairContext, r: Mention) -> bool:
    """The candidate sentence names it another way, which a token alignment reads as a cut: by its initials
    or its expansion ("United States" / "U.S."), or another name of the same country ("USA" / "US"). The
    other form must be new to the pair (not a word the reference sentence has too): a name cut out is not
    excused by a demonym or acronym that both sentences carry elsewhere."""
    if initials_as_acronym(ctx, r) is not None and initials(r, ctx.lex) not in ctx.ref_words:
        return True
    if joined_words(ctx, r) is not None or grammatical_forms(ctx, r) is not None:
        return True  # "Suna-gawa" / "Sunagawa", "Kalinin Street" / "ulitsa Kalinina"
    if defined_acronym(ctx, r) is not None or common_noun_spelled_out(ctx, r) is not None:
        return True  # "Central News Agency (CNA)" / "Central News Agency": the text's own gloss left out
    if _acronym_written_out(ctx, r):
        return True  # "the NPC Standing Committee" / "the Standing Committee of the National People's Congress"
    for rule in (acronym_spelled_out, place_alias):
        outcome = rule(ctx, r)
        if outcome is not None and any(not contains_all(ctx.cand_keyseqs[ci], ctx.ref_words) for ci in outcome.used):
            return True
    return False


def _acronym_written_out(ctx: PairContext, r: Mention) -> bool:
    """An acronym of the name is written out in capitalised words of the candidate sentence that the reference
    sentence lacks, inside a longer name maybe ("the 20th KPN Congress" / "the 20th Congress of the Kormin
    People's Nation"); the candidate's words must be new, so a name cut beside a spelled-out name both
    sentences carry stays a cut."""
    fresh = [t for t in ctx.cand_tok_words if t.norm not in ctx.ref_words]
    for t in ctx.ref.tokens[r.first : r.last + 1]:
        if t.acronym:
            letters = squash(t.text)
            letters = letters[:-1] if t.text.endswith("s") and len(letters) > 2 else letters
            if len(letters) >= 2 and spelled_out(letters, fresh):
                return True
    return False


def _letters(text: str) -> str:
    """The letters of a name in lower case, diacritics kept ("Kılıç" and "Kilic" differ here, not in case)."""
    return re.sub(r"[^\w]|_", "", text).casefold()


def casing_only(ctx: PairContext, r: Mention) -> Outcome | None:
    """The same letters in another case ("TikTok" / "Tiktok"): a casing note; a capital that only marks a
    sentence start, or a candidate written in capitals, is silent."""
    ref_norm_seq = _words(ctx, r, "norm")
    k, start_at = -1, 0
    while True:
        k = find_seq(ref_norm_seq, ctx.cand_norm_seq[start_at:])
        if k < 0:
            return None
        k += start_at
        if k not in ctx.casing_taken:
            break
        start_at = k + 1
    got = ctx.cand_tok_words[k : k + len(ref_norm_seq)]
    got_text = "".join(t.text for t in got)
    if not any(c.isupper() for c in got_text) or ctx.cand_upper or (
            got[0].initial and len(got) == 1 and got_text[1:] == "".join(_words(ctx, r, "text"))[1:]):
        return Outcome()
    cstart, cend = got[0].start, got[-1].end
    rtext = ctx.ref.doc.text[r.start : r.end]
    ctext = ctx.cand.doc.text[cstart:cend]
    found: tuple[Found, ...] = ()
    if _letters(rtext) == _letters(ctext) and rtext.replace("-", " ") != ctext.replace("-", " "):
        found = (Found(messages.finding("casing", "casing", "minor", messages.casing(rtext, ctext), ctx.ref, r,
                                        ctx.cand, (cstart, cend), ctx.pair, rtext)),)
    return Outcome(used=_covering(ctx, r), found=found, casing_at=k)


def all_words_kept(ctx: PairContext, r: Mention) -> Outcome | None:
    """Every word of the name is in the candidate sentence (another order, an inflection, a demonym);
    a person's name with its parts swapped ("Fumio Kishida" / "Kishida Fumio") gets a minor note."""
    if not (contains_all(r.keys, ctx.cand_words) if len(r.keys) > 1 else r.keys[0] in ctx.cand_words):
        return None
    lex = ctx.lex
    used = _covering(ctx, r)
    bare_r = [k for k in r.keys if k not in lex.title]
    swapped = None
    for ci in sorted(used):
        bare_c = [k for k in ctx.cand_keyseqs[ci] if k not in lex.title]
        if len(bare_c) > 1 and sorted(bare_c) == sorted(bare_r) and bare_c != bare_r:
            swapped = ctx.cand.names[ci]
            break
    if swapped is None:
        return Outcome(used=used)
    rtext, ctext = ctx.ref.doc.text[r.start : r.end], ctx.cand.doc.text[swapped.start : swapped.end]
    return Outcome(used=used, found=(Found(messages.finding(
        "named_entity", "name_order", "minor", messages.name_order(rtext, ctext), ctx.ref, r, ctx.cand,
        (swapped.start, swapped.end), ctx.pair, rtext)),))


def initials_as_acronym(ctx: PairContext, r: Mention) -> Outcome | None:
    """A written-out name whose initials are an acronym in the candidate ("United States" / "U.S.")."""
    if len(r.keys) < 2:
        return None
    letters = initials(r, ctx.lex)
    if letters not in {t.norm for t in ctx.cand.tokens if t.acronym}:
        return None
    return Outcome(used=frozenset(ci for ci, m in enumerate(ctx.cand.names) if m.acronym and squash(m.text) == letters))


def acronym_spelled_out(ctx: PairContext, r: Mention) -> Outcome | None:
    """An acronym written out with its own initials ("WHO" / "World Health Organization")."""
    if not r.acronym:
        return None
    letters = squash(r.text)
    letters = letters[:-1] if r.text.endswith("s") and len(letters) > 2 else letters  # "IPOs"
    hit = frozenset(ci for ci, m in enumerate(ctx.cand.names) if len(m.keys) > 1 and initials(m, ctx.lex) == letters)
    return Outcome(used=hit) if hit else None


def _distinctive(ctx: PairContext, words: tuple[str, ...]) -> list[str]:
    """An expansion's words without the country or demonym it may carry ("Chinese Kuomintang" -> "kuomintang")."""
    own = [k for k in words if not same_place(k, k)]
    return own or list(words)


def expansion_present(ctx: PairContext, acronym: str, words: list[str]) -> tuple[str, ...] | None:
    """The expansion the documents define for ``acronym`` whose distinctive words are all among ``words`` (one
    sentence's folded words), or None."""
    letters = squash(acronym)
    if len(letters) > 2 and acronym.endswith("s"):
        letters = letters[:-1]  # "IPOs"
    for expansion in ctx.definitions.get(letters, ()):
        if all(any(same_word(k, w) for w in words) for k in _distinctive(ctx, expansion)):
            return expansion
    return None


def defined_acronym(ctx: PairContext, r: Mention) -> Outcome | None:
    """One text defines the acronym in brackets ("Central News Agency (CNA)", "Chinese Kuomintang (KMT)") and the
    candidate sentence has the other form: the acronym written out, or the name given as its acronym ("KMT" /
    "Kuomintang", "Kuomintang" / "KMT"), or the bracketed acronym left out after its expansion."""
    if not ctx.definitions:
        return None
    lex = ctx.lex
    if r.acronym:
        words = expansion_present(ctx, r.text, ctx.cand_words)
        if words is None:
            return None
        return Outcome(used=frozenset(ci for ci, keys in enumerate(ctx.cand_keyseqs)
                                      if keys and all(any(same_word(k, w) for w in words) for k in keys
                                                      if k not in lex.title)))
    keys = [k for k in r.keys if k not in lex.title and k not in lex.function]
    if not keys:
        return None
    acronyms = {squash(m.text): ci for ci, m in enumerate(ctx.cand.names) if m.acronym}
    for letters, expansions in ctx.definitions.items():
        if letters not in acronyms:
            continue
        for words in expansions:
            if (all(any(same_word(k, w) for w in words) for k in keys)
                    and all(any(same_word(k, w) for w in keys) for k in _distinctive(ctx, words))):
                return Outcome(used=frozenset({acronyms[letters]}))
    return None


#: Fewest letters of an acronym ``common_noun_spelled_out`` reads in lower-case words, unless English uses it as a
#: common noun (``lexdata.common_acronym``: "AI", "TV").
LOWER_EXPANSION_LETTERS = 3


def common_noun_spelled_out(ctx: PairContext, r: Mention) -> Outcome | None:
    """An acronym written out in lower-case words that the reference sentence lacks ("AI" / "artificial
    intelligence", "GDP" / "gross domestic product"): English writes such expansions as common nouns."""
    if not r.acronym:
        return None
    letters = squash(r.text)
    letters = letters[:-1] if r.text.endswith("s") and len(letters) > 2 else letters
    if len(letters) < LOWER_EXPANSION_LETTERS and not lexdata.common_acronym(r.text):
        return None
    fresh = [t for t in ctx.cand_tok_words if not any(same_word(t.norm, w) for w in ctx.ref_words)]
    return Outcome() if len(letters) >= 2 and spelled_out(letters, fresh, any_case=True) else None


def common_noun_reworded(ctx: PairContext, r: Mention) -> Outcome | None:
    """An acronym English uses as a common noun (``lexdata.common_acronym``: "URL", "TV") rendered in its place
    by lower-case words in a close rendering ("the website URL" / "the website address"): a kind of thing
    said another way, no name changed."""
    if not r.acronym or not ctx.close or not lexdata.common_acronym(r.text):
        return None
    local = local_replacement(ctx.ref, r, ctx.cand, ctx.opcodes, ctx.lex)
    if local is None or local[0] != "replace":
        return None
    got = [t for t in ctx.cand.tokens[local[1] : local[2] + 1] if t.is_word or t.is_number]
    return Outcome() if got and not any(t.capitalised or t.is_number for t in got) else None


#: Shortest syllabic acronym, and the letters of its first syllable, for ``syllabic_acronym_spelled_out``.
SYLLABIC_LETTERS = 5
SYLLABIC_PREFIX = 4


def syllabic_acronym_spelled_out(ctx: PairContext, r: Mention) -> Outcome | None:
    """A syllabic acronym (the first syllables of its words: "INTERPOL", "EMERCOM") written out as a name of
    two words or more, all new to the pair, one of which its first syllable begins ("EMERCOM" / "Ministry
    of Emergency Situations"). A short acronym read as a word stays damage ("MAGA" / "Magazine Movement Core":
    four letters, and the other words are the reference's own)."""
    letters = squash(r.text)
    if not r.acronym or len(letters) < SYLLABIC_LETTERS:
        return None
    head = letters[:SYLLABIC_PREFIX]
    for ci, keys in enumerate(ctx.cand_keyseqs):
        content = [k for k in keys if k not in ctx.lex.function]
        if (len(content) >= 2 and any(k.startswith(head) for k in content)
                and not any(same_word(k, w) for k in content for w in ctx.ref_words)):
            return Outcome(used=frozenset({ci}))
    return None


def shortened(ctx: PairContext, r: Mention) -> Outcome | None:
    """A candidate name made of the name's words, the rest of the name being titles or said elsewhere in the
    sentence ("Minister of Transport Rasmus Holt" kept as "Minister of Transport" beside "Rasmus Holm" is
    not a shortening)."""
    lex = ctx.lex
    short = sorted(_covering(ctx, r))
    if not short:
        return None
    rest = [k for k in r.keys if k not in lex.title and k not in lex.function
            and not any(same_word(k, w) for ci in short for w in ctx.cand_keyseqs[ci])]
    if all(any(same_word(k, w) or stem_of(k, w) for w in ctx.cand_words) for k in rest):
        return Outcome(used=frozenset(short))
    return None


def _content(ctx: PairContext, tokens: list[Token]) -> list[Token]:
    lex = ctx.lex
    return [t for t in tokens if t.is_word and t.norm not in lex.function and t.norm not in lex.title
            and t.norm not in lex.connector]


def equivalent_words(ctx: PairContext, r: Mention) -> Outcome | None:
    """Every word of the name has an equivalent in the candidate sentence: an inflection ("IPO"/"IPOs",
    "Rising"/"Rises"), a demonym or another name of the same country ("British Embassy"/"UK Embassy"),
    an abbreviation ("St. Petersburg"/"Saint Petersburg"), a Roman numeral's digits ("Part II"/"Part 2")."""
    words = _content(ctx, ctx.ref.tokens[r.first : r.last + 1])
    cand = [t for t in ctx.cand.tokens if t.is_word or t.is_number]
    if not words or not all(any(equivalent(a.text, a.norm, b.text, b.norm) for b in cand)
                            or (a.acronym and spelled_out(squash(a.text), ctx.cand_tok_words)) for a in words):
        return None
    acronyms = {squash(a.text) for a in words if a.acronym}
    used = frozenset(ci for ci, m in enumerate(ctx.cand.names)
                     if all(any(equivalent(b.text, b.norm, a.text, a.norm) for a in words)
                            for b in _content(ctx, ctx.cand.tokens[m.first : m.last + 1]))
                     or (len(m.keys) > 1 and initials(m, ctx.lex) in acronyms))  # the acronym written out
    return Outcome(used=used)


def part_as_acronym(ctx: PairContext, r: Mention) -> Outcome | None:
    """A run of two or more of the name's words given as their initials, the rest of it kept ("Kormin People's
    Nation Central Committee" / "KPN Central Committee"): the acronym must be new to the pair, and every other
    word of the name has an equivalent in the candidate sentence."""
    minor = lexdata.minor_words()
    words = [t for t in ctx.ref.tokens[r.first : r.last + 1] if t.is_word]
    acronyms = {squash(t.text) for t in ctx.cand.tokens if t.acronym} - set(ctx.ref_words)
    if len(words) < 3 or not acronyms:
        return None
    cand = [t for t in ctx.cand.tokens if t.is_word or t.is_number]
    for i, first in enumerate(words):
        if first.norm in minor:
            continue
        for j in range(i + 1, len(words)):
            run = [t for t in words[i : j + 1] if t.norm not in minor]
            letters = "".join(t.norm[:1] for t in run)
            if words[j].norm in minor or len(run) < 2 or letters not in acronyms:
                continue
            rest = _content(ctx, words[:i] + words[j + 1 :])
            if rest and all(any(equivalent(a.text, a.norm, b.text, b.norm) for b in cand) for a in rest):
                return Outcome(used=frozenset(
                    ci for ci, m in enumerate(ctx.cand.names)
                    if all(squash(b.text) == letters or any(equivalent(b.text, b.norm, a.text, a.norm) for a in rest)
                           for b in _content(ctx, ctx.cand.tokens[m.first : m.last + 1]))))
    return None


#: Fewest letters of an acronym ``syllables_of`` reads in one romanised word.
SYLLABLE_LETTERS = 3


def syllables_of(letters: str, word: str) -> bool:
    """An acronym of a romanised name's syllables, read in the one word that writes the name ("kmt" /
    "kuomintang"): the word starts with its first letter, has its letters in order and is at least twice as
    long."""
    return (len(letters) >= SYLLABLE_LETTERS and len(word) >= 2 * len(letters) and word[:1] == letters[:1]
            and _is_subsequence(letters, word))


def _is_subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(c in rest for c in short)


def person_kept(ctx: PairContext, r: Mention) -> Outcome | None:
    """A person's name of two or three words kept as written, with the titles and affiliation before it said
    another way: in lower case after the name, its acronym written out ("NTU Vice Chairman Ana Ruiz" / "Ana
    Ruiz, vice chairman of the Norvian Trade Union", "KMT" / "Kuomintang"). Every word of the mention must be
    in the candidate sentence in some form; an affiliation changed or left out is left to the pairing."""
    lex = ctx.lex
    if r.weak or not titled_person(ctx.ref, r, lex):
        return None
    words, _titles = person_words(ctx.ref, r, lex)
    at = find_seq(words, ctx.cand_norm_seq) if len(words) >= 2 else -1
    if at < 0:
        return None
    person = set(words)
    fresh = [t for t in ctx.cand_tok_words if t.norm not in ctx.ref_words]
    cand = [t for t in ctx.cand.tokens if t.is_word or t.is_number]
    got = ctx.cand_tok_words[at : at + len(words)]
    spans = [(got[0].start, got[-1].end)]
    for t in _content(ctx, ctx.ref.tokens[r.first : r.last + 1]):
        if t.norm in person or any(equivalent(t.text, t.norm, b.text, b.norm) for b in cand):
            continue
        letters = squash(t.text)
        read = [b for b in fresh if b.capitalised and syllables_of(letters, b.norm)] if t.acronym else []
        if not (read or (t.acronym and spelled_out(letters, fresh))):
            return None
        spans += [(b.start, b.end) for b in read]
    return Outcome(used=frozenset(ci for ci, m in enumerate(ctx.cand.names)
                                  if any(m.start < end and start < m.end for start, end in spans)))


def spelled_out(letters: str, words: list[Token], *, any_case: bool = False) -> bool:
    """A run of ``words`` whose initials, function words left out, are ``letters`` ("rd": "Research and
    Development"): an acronym inside a name written out in the other text. The run starts with a capital
    unless ``any_case`` ("ai": "artificial intelligence")."""
    minor = lexdata.minor_words()
    for i, first in enumerate(words):
        if not (first.capitalised or any_case) or first.norm[:1] != letters[:1] or first.norm in minor:
            continue
        got = ""
        for t in words[i:]:
            if t.norm in minor:
                continue
            got += t.norm[:1]
            if got == letters:
                return True
            if not letters.startswith(got):
                break
    return False


def place_alias(ctx: PairContext, r: Mention) -> Outcome | None:
    """The name and a candidate name or word name the same country or region, by its official, short or
    alternative name or its demonym ("the United Kingdom" / "UK" / "British", "Germany" / "German")."""
    if not same_place(r.text, r.text):
        return None
    hit = frozenset(ci for ci, m in enumerate(ctx.cand.names) if same_place(r.text, m.text))
    if hit:
        return Outcome(used=hit)
    if any(t.capitalised and same_place(r.text, t.text) for t in ctx.cand_tok_words):
        return Outcome()
    return None


def grammatical_forms(ctx: PairContext, r: Mention) -> Outcome | None:
    """The name written in another grammatical form of the language it was transliterated from ("Seleznev
    Street" / "ulitsa Selezneva", "Stavropol Street" / "Stavropolskaya ulitsa"): each of its distinctive
    words is in the candidate sentence as it is or in another form (``words.grammatical_form``), at least one
    in another form; its generic words ("Street", "District") a translator may render or leave out. A name
    format note (minor ``spelling_variant``), as for a name split or joined."""
    lex = ctx.lex
    words = [t for t in _content(ctx, ctx.ref.tokens[r.first : r.last + 1]) if not generic_word(t.norm, lex)]
    cand = ctx.cand_tok_words
    forms: list[Token] = []
    for a in words:
        if any(same_word(a.norm, b.norm) for b in cand):
            continue
        b = next((b for b in cand if b.capitalised and b.norm not in ctx.ref_words
                  and grammatical_form(a.norm, b.norm, lex)), None)  # a word both sentences have is its own
        if b is None:
            return None
        forms.append(b)
    if not forms:
        return None
    start, end = min(b.start for b in forms), max(b.end for b in forms)
    rtext, ctext = ctx.ref.doc.text[r.start : r.end], ctx.cand.doc.text[start:end]
    note = Found(messages.finding("named_entity", "spelling_variant", "minor",
                                  messages.rendered_as(rtext, ctext, "grammatical_form"), ctx.ref, r, ctx.cand,
                                  (start, end), ctx.pair, rtext))
    used = frozenset(ci for ci, m in enumerate(ctx.cand.names) if any(m.start <= b.start < m.end for b in forms))
    return Outcome(used=used, found=(note,))


def joined_words(ctx: PairContext, r: Mention) -> Outcome | None:
    """The same letters written as one word or several ("Lifeng" / "Li Feng", "Chinanews" / "China News
    Network"): a candidate stretch of two or more words, or one, spells the name's letters. A name format
    note (minor ``spelling_variant``), as MQM raters count it. A name with a lower-case part after a hyphen
    ("Suna-gawa", whose mention is "Suna") counts with that part ("Sunagawa")."""
    target = squash(r.text)
    toks, k = ctx.ref.tokens, r.last + 1
    joined = (k + 1 < len(toks) and toks[k].text in HYPHENS and toks[k].start == toks[r.last].end
              and toks[k + 1].start == toks[k].end and toks[k + 1].is_word and not toks[k + 1].capitalised)
    if joined:
        target += squash(toks[k + 1].text)
    words = ctx.cand_tok_words
    for i in range(len(words)):
        acc = ""
        for j in range(i, min(len(words), i + 6)):
            acc += squash(words[j].text)
            if not target.startswith(acc):
                break
            if acc == target and (j > i or r.last > r.first or joined):
                start, end = words[i].start, words[j].end
                rtext, ctext = ctx.ref.doc.text[r.start : r.end], ctx.cand.doc.text[start:end]
                note = Found(messages.finding("named_entity", "spelling_variant", "minor",
                                              messages.rendered_as(rtext, ctext, "spelling_variant"), ctx.ref, r,
                                              ctx.cand, (start, end), ctx.pair, rtext))
                return Outcome(used=frozenset(ci for ci, m in enumerate(ctx.cand.names)
                                              if m.start < end and start < m.end), found=(note,))
    return None


#: The name rules, in the order they are tried; the first that answers decides.
NAME_RULES: tuple[tuple[str, NameRule], ...] = (
    ("verbatim", verbatim),
    ("addressed_short_form", addressed_short_form),
    ("cut_out", cut_out),
    ("casing_only", casing_only),
    ("all_words_kept", all_words_kept),
    ("initials_as_acronym", initials_as_acronym),
    ("acronym_spelled_out", acronym_spelled_out),
    ("syllabic_acronym_spelled_out", syllabic_acronym_spelled_out),
    ("defined_acronym", defined_acronym),
    ("common_noun_spelled_out", common_noun_spelled_out),
    ("common_noun_reworded", common_noun_reworded),
    ("shortened", shortened),
    ("equivalent_words", equivalent_words),
    ("part_as_acronym", part_as_acronym),
    ("person_kept", person_kept),
    ("place_alias", place_alias),
    ("grammatical_forms", grammatical_forms),
    ("joined_words", joined_words),
)


def apply_rules(ctx: PairContext, r: Mention) -> Outcome | None:
    """The first rule's answer for ``r``, or None when no rule recognises its rendering."""
    for _name, rule in NAME_RULES:
        outcome = rule(ctx, r)
        if outcome is not None:
            return outcome
    return None
