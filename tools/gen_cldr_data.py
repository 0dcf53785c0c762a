#!/usr/bin/env python3
"""Regenerate assets/cldr/*.json from the Unicode CLDR data shipped in Babel (pip install babel).

Run by hand when CLDR is updated; the output is committed so Taawun needs no network.
countries.json: ISO 3166-1 alpha-2 code -> names in ar/fr/en, continent (from the CLDR
time-zone table) and whether the country counts as "North" for the cooperation direction.
currencies.json: ISO 4217 code -> names and the number of minor-unit digits.
"""
import json, pathlib, sys
import babel
from babel import Locale
from babel.core import get_global

OUT = pathlib.Path(__file__).resolve().parent.parent / "assets" / "cldr"
# Countries classed "North" in the cooperation vocabulary (OECD high-income, Brandt line).
NORTH_EXTRA = {"US", "CA", "JP", "KR", "AU", "NZ", "IL"}
locales = {l: Locale(l) for l in ("ar", "fr", "en")}
zones = get_global("territory_zones")

def continent(code):
    zs = zones.get(code, [])
    for z in zs:
        head = z.split("/")[0]
        if head in ("Africa", "Europe", "Asia", "America", "Australia", "Pacific", "Indian", "Atlantic", "Antarctica"):
            return {"Australia": "Oceania", "Pacific": "Oceania", "Indian": "Asia", "Atlantic": "Europe"}.get(head, head)
    return "Other"

countries = []
for code, en in sorted(locales["en"].territories.items()):
    if len(code) != 2 or not code.isalpha() or code in ("EU", "EZ", "UN", "ZZ", "XA", "XB", "QO"):
        continue
    cont = continent(code)
    countries.append({
        "code": code,
        "ar": locales["ar"].territories.get(code, en),
        "fr": locales["fr"].territories.get(code, en),
        "en": en,
        "continent": cont,
        "north": cont == "Europe" or code in NORTH_EXTRA,
    })

fractions = get_global("currency_fractions")
wanted = ["MAD", "EUR", "XOF", "USD", "XAF", "GBP", "CHF", "CAD", "TND", "DZD", "MRU", "SEK", "NOK", "DKK", "JPY", "CNY", "SAR", "AED", "QAR", "KWD", "EGP", "SNY" ]
currencies = []
for code in wanted:
    if code not in locales["en"].currencies:
        continue
    digits = fractions.get(code, fractions["DEFAULT"])[0]
    currencies.append({"code": code, "digits": digits,
                       **{l: locales[l].currencies.get(code, code) for l in locales}})

OUT.mkdir(parents=True, exist_ok=True)
(OUT / "countries.json").write_text(json.dumps(countries, ensure_ascii=False, indent=0) + "\n")
(OUT / "currencies.json").write_text(json.dumps(currencies, ensure_ascii=False, indent=0) + "\n")
print(f"{len(countries)} countries, {len(currencies)} currencies, CLDR via Babel {babel.__version__}", file=sys.stderr)
