#!/usr/bin/env python3
"""Build ``diag/data/case_prior.tsv``: how often common English words are written capitalised.

    pip install spacy-lookups-data==1.0.5      # build time only, never a run-time dependency
    python3 tools/build_case_prior.py          # write diag/data/case_prior.tsv
    python3 tools/build_case_prior.py --check  # exit 1 if the shipped file is stale

Source: the English ``lexeme_prob`` table of spaCy's lookups data package (spacy-lookups-data,
MIT, Explosion): case-sensitive word forms with their log probabilities in running text.

Selection rule, in order:
1. Forms made of letters only (an inner apostrophe or hyphen allowed: "o'clock", "so-called").
2. Each form is lower case ("beijing"), capitalised (first letter upper case, not all capitals:
   "Beijing", "McDonald") or other; other forms are left out. All-capital forms ("US", "WHO") are
   left out because they are acronyms or emphasis, not the question the entity check asks (is
   a word with an initial capital a name or an ordinary word?). Single capital letters ("I",
   "A") count as capitalised.
3. Forms are grouped by ``diag.lexdata.fold`` (so "Café" and "cafe" meet), adding probabilities.
4. Keep the ``KEEP`` most frequent folded words (capitalised + lower-case probability); rarer
   words carry too little evidence to matter and are left to the two texts' own evidence. Ties
   are broken by the word, so the output is deterministic.
5. Write each kept word with P(capitalised) = P(capitalised forms) / P(both), two decimals.

Sentence-initial use is in the counts, so frequent function words sit near 0.05-0.2 ("the"
0.08) rather than 0; names sit near 1 ("beijing" 0.94), common nouns and verbs near 0
("exports" 0.05), and words that are both ("rose", "apple") in between.

Limit: a unigram table cannot tell a capital that marks a name from one that marks a sentence
start, so words that mostly open sentences score high although they are never names: sentence
adverbs ("however" 0.57, "meanwhile" 0.76, "moreover" 0.85, "additionally" 0.90) and
interjections ("thanks" 0.66, "yes" 0.57). The entity check's function-word list, not this prior,
has to rule those out.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from build_common import DATA, finish, header, parser  # noqa: E402 - tools/ is the script's folder

from diag.lexdata import CASE_PRIOR_FILE, fold  # noqa: E402 - the repository first on sys.path

PACKAGE = "spacy-lookups-data"
TABLE = "en_lexeme_prob.json.gz"
LICENCE = "MIT (Explosion; spacy-lookups-data)"
KEEP = 20_000
_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")


def load_table() -> tuple[dict[str, float], str]:
    """The source table (form -> natural log probability) and the package version."""
    import spacy_lookups_data  # build-time only

    version = metadata.version(PACKAGE)
    with gzip.open(str(spacy_lookups_data.get_file(TABLE)), "rt", encoding="utf-8") as handle:
        table: dict[str, float] = json.load(handle)
    return table, version


def case_class(form: str) -> str | None:
    """'lower', 'capitalised' or None (left out), per the docstring's rule 2."""
    if not _WORD.match(form):
        return None
    if form == form.lower():
        return "lower"
    if form[0].isupper() and (len(form) == 1 or not form.isupper()):
        return "capitalised"
    return None


def case_totals(table: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """Each folded word's probability over its lower-case and capitalised forms, and over its capitalised ones."""
    capitalised: dict[str, float] = {}
    total: dict[str, float] = {}
    for form, log_probability in table.items():
        kind = case_class(form)
        if kind is None:
            continue
        key = fold(form)
        probability = math.exp(log_probability)
        total[key] = total.get(key, 0.0) + probability
        if kind == "capitalised":
            capitalised[key] = capitalised.get(key, 0.0) + probability
    return total, capitalised


def build(table: dict[str, float], version: str) -> str:
    """The text of ``case_prior.tsv`` from the source table."""
    total, capitalised = case_totals(table)
    kept = sorted(total, key=lambda word: (-total[word], word))[:KEEP]
    lines = [
        header(DATA / CASE_PRIOR_FILE, "P(written capitalised) of the "
               f"{KEEP:,} most frequent English words", PACKAGE, version + " (table en lexeme_prob)",
               LICENCE, "build_case_prior.py"),
        "# word (diag.lexdata.fold) <TAB> probability that it is written with an initial capital "
        "(all-capital forms not counted); words sorted alphabetically\n",
    ]
    lines += [f"{word}\t{capitalised.get(word, 0.0) / total[word]:.2f}\n" for word in sorted(kept)]
    return "".join(lines)


def run_build(doc: str | None, build_text: Callable[[dict[str, float], str], str], data_file: str, script: str,
              argv: list[str] | None) -> int:
    """A lexeme-table build script's command line: read the table, build ``data_file``'s text, write or ``--check`` it."""
    args = parser(doc).parse_args(argv)
    try:
        table, version = load_table()
    except ImportError:
        print(f"{PACKAGE} is not installed: pip install {PACKAGE} (build time only)", file=sys.stderr)
        return 3
    out = args.output or DATA / data_file
    return finish(out, build_text(table, version), check=args.check, script=script)


def main(argv: list[str] | None = None) -> int:
    return run_build(__doc__, build, CASE_PRIOR_FILE, "build_case_prior.py", argv)


if __name__ == "__main__":
    sys.exit(main())
