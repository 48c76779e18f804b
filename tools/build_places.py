#!/usr/bin/env python3
"""Build ``diag/data/places.tsv``: countries and regions, their names and demonyms, grouped.

    npm install -g world-countries@5.1.0      # build time only (or --source DIR of the package)
    python3 tools/build_places.py             # write diag/data/places.tsv
    python3 tools/build_places.py --check     # exit 1 if the shipped file is stale

Source: the npm package world-countries (Mohammed Le Doze, https://github.com/mledoze/countries),
``countries.json``, licensed under the Open Database License (ODbL 1.0). The derived file is a
database under the same licence and credits the source in its header (ODbL attribution), as the
README does. The package is found, in order, at ``--source``, in ``node_modules`` beside the
repository, or in npm's global root (``npm root -g``).

Each row is ``key <TAB> kind <TAB> form``: the key is the folded English common name
(``diag.lexdata.fold``), the form is written as the source writes it (the loader folds it, so the
fold can change without a rebuild). Selection rule:
- every country or territory: its English common and official names (kind ``common``,
  ``official``), its ``altSpellings`` except the two-letter ISO code and inverted index forms
  ("Korea, Republic of") (``alt``), its English demonyms (``demonym``) and their regular plurals
  ("Germans", "Pakistanis"; not "Chinese", "Swiss", "British") (``plural``);
- every region and subregion of the source ("Europe", "Eastern Asia") as its own group (``region``);
- ``ALIASES``: English forms news text uses that the source lacks ("Britain", "America", "US"),
  the project's own (MIT) (``alias``);
- forms written in a script other than Latin are left out (the fold of the form is not ASCII);
- a form claimed by several places goes to the one independent state among them if there is
  exactly one ("American": the United States, not the Northern Mariana Islands); otherwise it
  stays with all of them ("Congolese") and ``diag.lexdata.place_key`` returns None for it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from build_common import DATA, ROOT, finish, header, parser  # noqa: E402 - tools/ is the script's folder

from diag.lexdata import PLACES_FILE, fold  # noqa: E402 - the repository first on sys.path

PACKAGE = "world-countries"
LICENCE = ("ODbL 1.0 (Open Database License): contains information from world-countries by Mohammed "
           "Le Doze, https://github.com/mledoze/countries, made available under the ODbL; "
           "this derived database is shared under the same licence; English aliases marked 'alias' "
           "are the project's own (MIT)")
#: English forms the source lacks, by the source's common name: (kind, form).
ALIASES: dict[str, tuple[tuple[str, str], ...]] = {
    "United States": (("alias", "US"), ("alias", "America")),
    "United Kingdom": (("alias", "Britain"), ("alias", "Briton"), ("alias", "Britons"),
                       ("alias", "Brit"), ("alias", "Brits")),
    "China": (("alias", "PRC"), ("alias", "mainland China")),
    "South Korea": (("alias", "ROK"),),
    "Türkiye": (("alias", "Turkey"), ("alias", "Turk"), ("alias", "Turks")),
    "Sweden": (("alias", "Swede"), ("alias", "Swedes")),
    "Denmark": (("alias", "Dane"), ("alias", "Danes")),
    "Finland": (("alias", "Finn"), ("alias", "Finns")),
    "Spain": (("alias", "Spaniard"), ("alias", "Spaniards")),
    "Philippines": (("alias", "Filipinos"),),
    "Poland": (("alias", "Pole"), ("alias", "Poles")),
    "Czechia": (("alias", "Czechs"),),
    "Kazakhstan": (("alias", "Kazakhs"),),
}
#: Demonyms ending so take a plain "s" in the plural ("Germans", "Thais", "Icelanders", "Slovaks").
PLURAL_ENDINGS = ("a", "i", "n", "r", "k", "o")


def find_package(source: Path | None) -> Path:
    """The directory of the world-countries package (the first of the places the docstring lists)."""
    candidates = [source] if source else []
    candidates.append(ROOT / "node_modules" / PACKAGE)
    try:
        npm_root = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True, check=True,
                                  timeout=60).stdout.strip()
        candidates.append(Path(npm_root) / PACKAGE)
    except (OSError, subprocess.SubprocessError):
        pass
    for candidate in candidates:
        if candidate and (candidate / "countries.json").is_file():
            return candidate
    raise FileNotFoundError(f"{PACKAGE} not found ({', '.join(str(c) for c in candidates if c)}): "
                            f"npm install -g {PACKAGE}, or pass --source DIR")


def load(package: Path) -> tuple[list[dict[str, object]], str]:
    """The source records and the package version."""
    countries = json.loads((package / "countries.json").read_text(encoding="utf-8"))
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    return countries, str(version)


def plural(demonym: str) -> str | None:
    """The regular plural of a demonym, or None where English keeps the same form."""
    return demonym + "s" if demonym.endswith(PLURAL_ENDINGS) else None


def usable(form: str, code: str) -> bool:
    """A form worth shipping: Latin script, not the two-letter code, not an inverted index form."""
    return bool(form) and form != code and ", " not in form and fold(form).isascii()


def country_forms(country: dict[str, object]) -> list[tuple[str, str]]:
    """(kind, form) of one source record, per the docstring's rule."""
    name = country["name"]
    assert isinstance(name, dict)
    code = str(country["cca2"])
    forms = [("common", str(name["common"])), ("official", str(name["official"]))]
    forms += [("alt", str(alt)) for alt in country.get("altSpellings", [])]  # type: ignore[attr-defined]
    demonyms = (country.get("demonyms") or {}).get("eng") or {}  # type: ignore[attr-defined]
    for demonym in sorted(set(demonyms.values())):
        forms.append(("demonym", demonym))
        if (many := plural(demonym)) is not None:
            forms.append(("plural", many))
    return [(kind, form) for kind, form in forms if usable(form, code)] + list(ALIASES.get(str(name["common"]), ()))


def build(countries: list[dict[str, object]], version: str) -> str:
    """The text of ``places.tsv`` from the source records."""
    claims: dict[str, set[tuple[str, bool]]] = {}  # folded form -> (key, independent)
    rows: list[tuple[str, str, str]] = []
    for country in countries:
        key = fold(str(country["name"]["common"]))  # type: ignore[index]
        independent = bool(country.get("independent"))
        for kind, form in country_forms(country):
            rows.append((key, kind, form))
            claims.setdefault(fold(form).removeprefix("the "), set()).add((key, independent))
    regions = {str(c[field]) for c in countries for field in ("region", "subregion") if c.get(field)}
    rows += [(fold(region), "region", region) for region in regions]
    unknown = set(ALIASES) - {str(c["name"]["common"]) for c in countries}  # type: ignore[index]
    if unknown:
        raise SystemExit(f"ALIASES names countries the source lacks: {', '.join(sorted(unknown))}")
    kept: set[tuple[str, str, str]] = set()
    seen: set[tuple[str, str]] = set()
    order = {kind: n for n, kind in enumerate(("common", "official", "alt", "alias", "demonym", "plural",
                                               "region"))}
    for key, kind, form in sorted(rows, key=lambda r: (r[0], order[r[1]], r[2])):
        if (key, form) in seen:
            continue  # one row per written form of a place, under its first kind
        seen.add((key, form))
        claimants = claims.get(fold(form).removeprefix("the "), set())
        states = {k for k, independent in claimants if independent}
        if kind != "region" and len(claimants) > 1 and len(states) == 1 and key not in states:
            continue  # the independent state's form ("American", "Norwegian")
        kept.add((key, kind, form))
    lines = [
        header(DATA / PLACES_FILE, "countries and regions with their names and demonyms, grouped",
               PACKAGE, version, LICENCE, "build_places.py"),
        "# key (folded English common name) <TAB> kind (common, official, alt, alias, demonym, plural, "
        "region) <TAB> form as written; initialisms (US, UK, UAE) match only in capitals\n",
    ]
    lines += [f"{key}\t{kind}\t{form}\n"
              for key, kind, form in sorted(kept, key=lambda r: (r[0], order[r[1]], r[2]))]
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__)
    ap.add_argument("--source", type=Path, default=None, help=f"directory of the {PACKAGE} npm package")
    args = ap.parse_args(argv)
    try:
        countries, version = load(find_package(args.source))
    except (OSError, ValueError, KeyError) as exc:
        print(str(exc), file=sys.stderr)
        return 3
    out = args.output or DATA / PLACES_FILE
    return finish(out, build(countries, version), check=args.check, script="build_places.py")


if __name__ == "__main__":
    sys.exit(main())
