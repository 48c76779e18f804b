"""Entity and number damage: find names, acronyms and numbers in the reference and check their rendering.

For every aligned pair with sentences on both sides, mentions are taken from the reference
sentences by rule (``mentions``: capitalised sequences not explained by sentence-initial position,
inner capitals, acronyms, numbers with scale words, units, currencies, percentages and dates; the
word lists are ``diag/data/entities_words.txt``, read by ``lexicon``). Each name goes through an
ordered registry of small named rules (``variants``: written as is, cased differently, reordered,
shortened, spelled out as its initials...), so acceptable variants are not reported. A name no
rule recognises is paired with what took its place (``pairing`` evidence, ``damage`` strategies:
character and sound similarity, acronym letters, token alignment, shared neighbours) and its type
and severity are decided in one place (``decide``), MQM-style; a name with no rendering is
``dropped``. Numbers are compared by value, scale, unit and date (``numbers``); glossary terms by
``glossary``. Every message text is built in ``messages``.

Mentions in wholly omitted reference sentences (1-0 pairs) are not reported here: the
alignment already lists omitted sentences, and a summary omits many.

Severity is ``major``/``critical`` only when the evidence is local and strong (the rendering
sits between the same neighbours, or its letters or value say what it was); weaker evidence
gives ``minor`` findings.
"""

from diag.entities.damage import find_damage
from diag.entities.glossary import Glossary, GlossaryTerm, load_glossary

__all__ = ["Glossary", "GlossaryTerm", "find_damage", "load_glossary"]
