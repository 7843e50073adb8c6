"""Number shapes that are not phones, in many languages; real numbers beside them; region evidence."""

from __future__ import annotations

import random
import time

import pytest

from extraction.analyse import region_hints
from extraction.identifiers.number_shapes import BLANK, blank_claimed, claimed_spans
from extraction.identifiers.phones import RegionHint, find_phones
from extraction.places import host_places, text_places

ALL_EU = ["DE", "AT", "CH", "NL", "BE", "FR", "ES", "IT", "PL", "PT", "RO", "GB", "US"]

# (text, regions) — written for this suite; none of them holds a phone number.
NOT_PHONES = [
    # date and time stamps of posts and comments
    ("Kommentar vom 07.04.2020 10:27", ["DE"]),
    ("Antwort am 02.05.2020 um 08:11", ["DE"]),
    ("Aktualisiert: 06. Dez. 2022 | 10:24", ["DE"]),
    ("Gepostet 05.11.2019 // 07:08", ["DE"]),
    ("published 2020-04-07T10:27:00+02:00", ["GB"]),
    ("Posted on March 3, 2021 at 4:04 PM", ["US", "GB"]),
    ("publié le 12 janvier 2021 à 14h30", ["FR"]),
    ("publicado el 5 de diciembre de 2022, 18:45", ["ES"]),
    ("pubblicato il 3 maggio 2019 alle 09:15", ["IT"]),
    ("opublikowano 5 marca 2020 o 11:45", ["PL"]),
    ("geplaatst op 14 februari 2023 om 10:05", ["NL"]),
    ("publicado em 7 de março de 2021 às 16:20", ["PT"]),
    ("опубликовано 12 марта 2021 в 10:15", ["RU", "UA"]),
    ("(06.11.23) um 20:15 im Ersten", ["DE", "BE"]),
    ("Stand: 22.06.2018 10:00 Uhr", ["DE"]),
    ("Beginn 15.00 - 16.45 Uhr", ["CH"]),
    ("Termin 06/11/2023 0 Kommentare", ["BE", "FR"]),
    ("Heft 01/2016 erschienen", ALL_EU),
    # calendar rows and number tables
    ("Mo Di Mi Do Fr Sa So 05 06 07 08 09 10 11", ["DE"]),
    ("L M M J V S D 1 2 3 4 5 6 7 8 9 10 11 12 13 14", ["FR"]),
    ("Team A 166 0 0 0 19 0 Punkte", ["DE", "IT"]),
    # years, ranges, page ranges, counts
    ("Gegründet 1643 von Mönchen", ["DE"]),
    ("Legislatura 1979-2011", ["IT"]),
    ("In: Journal 12 (3), pp. 333 – 337", ["DE", "GB"]),
    ("str. 339–351", ["PL"]),
    ("394.000 Angriffe pro Jahr", ["DE"]),
    ("1.299.000 habitantes", ["ES"]),
    ("90 Niveaus (335544320 Gitterpunkte) 2 Mal", ["DE"]),
    # prices
    ("Preis: EUR 16900,-- VB", ["DE", "AT"]),
    ("Nur 1.299,00 € inkl. MwSt.", ["DE"]),
    ("Prix : 1 250 € TTC", ["FR"]),
    ("Cena 12 500 zł brutto", ["PL"]),
    # decimals and coordinates, ids
    ("Latitude: 53.369889 Longitude: 7.206389", ["DE"]),
    ("Punkte: 164.5 vor 158.5", ["DE"]),
    ("Rate 0.3071.125 s", ["GB", "FI"]),
    ("ISBN 978-3-16-148410-0", ALL_EU),
    ("doi: 10.1007/s11926-017-0626-z", ALL_EU),
    ("arXiv:1512.01655 (2015)", ["GB", "IE"]),
    ("Baltimore, MD 21218-2686", ["US", "CZ"]),
    ("Bestellnummer: 4711 0815 2233", ["DE"]),
    ("Mozilla/5.0 Chrome/59.0.3071.125 Safari/537.36", ["FI", "GB"]),
    # An invalid international number is not moved to the participant's country.
    ("Tel.: +66 2 2066 8888", ["PL"]),
]


@pytest.mark.parametrize(("text", "regions"), NOT_PHONES)
def test_number_shapes_are_not_phones(text: str, regions: list[str]) -> None:
    assert find_phones(text, regions) == []


# (text, regions, expected) — real numbers next to question marks, prices, labels, dates.
REAL = [
    ("Vragen? +31 6 12345678", ["NL"], ["+31612345678"]),
    ("??? 505-417-7729", ["US"], ["+15054177729"]),
    ("Bel 06 12345678 €150 per uur", ["NL"], ["+31612345678"]),
    ("Call 410-622-2680 $150 half hour", ["US"], ["+14106222680"]),
    ("Tel. 05225/8738444", ["DE"], ["+4952258738444"]),
    ("Anmeldung (089/99529727)", ["DE"], ["+498999529727"]),
    ("Telefon +41.31.322.55.11", ["CH"], ["+41313225511"]),
    ("Tel. 0221 / 9822 – 2220", ["DE"], ["+4922198222220"]),
    ("Kundenhotline: 01805 – 4444", ["DE"], ["+4918054444"]),
    ("Stand 07.04.2020 10:27, Tel. 030 12345678", ["DE"], ["+493012345678"]),
    ("all weekend7086315843 or 773.641.7245", ["US"], ["+17086315843", "+17736417245"]),
    ("llama 323 430 0387 95hr", ["US"], ["+13234300387"]),
    ("Apel: 0722 123 456, 12.05.2024", ["RO"], ["+40722123456"]),
    ("Chiama 333.3049832 dalle 10:00", ["IT"], ["+393333049832"]),
    ("Telefon: +49 - (40) - 300 30 - 1141", ["DE"], ["+4940300301141"]),
]


@pytest.mark.parametrize(("text", "regions", "expected"), REAL)
def test_real_numbers_beside_other_shapes(text: str, regions: list[str], expected: list[str]) -> None:
    assert [phone.value for phone in find_phones(text, regions)] == expected


def test_plain_digits_are_never_obscured() -> None:
    found = find_phones("Kontakt 06 | 12 | 34 | 56 | 78 oder 030 1234567", ["FR", "DE"])
    assert [p.obscured for p in found] == [True, False]
    assert not any(p.obscured for p in find_phones("Tel 0612345678, 06-12-34-56-78", ["FR"]))


def test_blanking_keeps_offsets() -> None:
    text = "am 07.04.2020 um 10:27, Tel. 0521 123456"
    blanked = blank_claimed(text)
    assert len(blanked) == len(text)
    assert blanked.endswith("Tel. 0521 123456")
    assert BLANK * 10 in blanked
    assert claimed_spans(text)[0] == (3, 13)


def test_region_follows_the_evidence() -> None:
    """A US number in an English ad pasted by a Dutch participant is read in the US when the
    host names an American city; the reason says which evidence decided."""
    hints = region_hints("https://miami.example-ads.com/ad/1", "en", "NL")
    assert [(str(h), h.reason) for h in hints][:2] == [("US", "host miami"), ("GB", "page language en")]
    [phone] = find_phones("Call me 305-928-4172", hints)
    assert (phone.value, phone.region_reason) == ("+13059284172", "host miami")
    [phone] = find_phones("Bel +31 6 12345678", hints)
    assert phone.region_reason == "international prefix"


def test_validity_picks_the_region() -> None:
    """An Australian mobile is not valid in the UK: the next hint that reads it wins."""
    hints = [RegionHint("GB", "page language en"), RegionHint("AU", "city Melbourne")]
    [phone] = find_phones("text me 0499 696 998", hints)
    assert (phone.value, phone.region_reason) == ("+61499696998", "city Melbourne")


def test_places_in_host_and_text() -> None:
    assert host_places("http://southcarolina.ads.example/x")[0][0] == "US"
    assert host_places("http://kansas-city.ads.example/")[0] == ("US", "kansas city")
    assert host_places("https://www.example.de/rezepte/kuchen") == []
    named = text_places(["Escort in Frankfurt, Besuche in Frankfurt und München; Berlin"])
    assert named[0] == ("DE", "Frankfurt")
    # A lone capitalised word that is also a town somewhere is no evidence.
    assert text_places(["Nice to meet you."]) == []
    tld = region_hints("https://www.example.nl/a", "de", "PL", ["Wir sind in Wien und Graz, Wien."])
    assert [(str(h), h.reason) for h in tld] == [
        ("NL", "tld .nl"),
        ("AT", "city Wien"),
        ("DE", "page language de"),
        ("CH", "page language de"),
        ("PL", "participant"),
    ]


def test_worst_case_page_is_fast() -> None:
    """2 MB of distinct phone-like numbers, dates and prices: every step is linear (about 2 s
    on an idle machine, see bench/worst_case.py; the bound here is generous because the suite
    runs on shared cores — before, a page like this took minutes)."""
    rng = random.Random(7)
    parts = []
    while sum(map(len, parts)) < 2_000_000:
        parts.append(
            f"Tel. 06 {rng.randint(10_000_000, 99_999_999)} am 07.04.2020 10:27 · 1.299,00 € · "
            f"05 06 07 08 09 10 11 · +49 30 {rng.randint(1_000_000, 9_999_999)} · 333 – 337\n"
        )
    text = "".join(parts)
    started = time.perf_counter()
    found = find_phones(text, ["NL", "DE", "GB"])
    assert time.perf_counter() - started < 30
    assert found and all(p.value.startswith(("+31", "+49")) for p in found)


@pytest.mark.parametrize(
    "text",
    [
        "THURSDAY APRIL 2\nFRIDAY APRIL 3\nam 5\nMärz 2020",
        "x 12\x1e 2021\r\n07.04.2020 10:27\u2028Tel 030 1234567",
        "06 1234 5678 - 07.04.2020 / " * 200,  # one long line, cut into segments
    ],
)
def test_blanking_keeps_every_line_break(text: str) -> None:
    blanked = blank_claimed(text)
    assert len(blanked) == len(text)
    assert [i for i, c in enumerate(text) if c in "\n\r\u2028\x1e"] == [
        i for i, c in enumerate(blanked) if c in "\n\r\u2028\x1e"
    ]
