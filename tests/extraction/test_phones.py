"""Phone numbers: shared conformance vectors, obfuscation styles, look-alikes, the corpora."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from extraction.identifiers.deobfuscate import deobfuscate_digits, deobfuscate_with_offsets
from extraction.identifiers.phones import find_phones, phone_from_href
from tests.corpus_pages import html_responses
from tests.vectors import VECTORS, vector_rows

ROWS = vector_rows("phone_vectors.tsv")
needs_vectors = pytest.mark.skipif(
    not ROWS, reason=f"shared vectors missing: {VECTORS / 'phone_vectors.tsv'}"
)


@needs_vectors
@pytest.mark.parametrize("row", ROWS, ids=[f"{i}-{r['technique']}" for i, r in enumerate(ROWS)])
def test_phone_vectors(row: dict[str, str]) -> None:
    expected = [value for value in row["expected_e164"].split(";") if value]
    found = find_phones(row["text"], [row["default_region"]])
    assert [phone.value for phone in found] == expected


URI_ROWS = [row for row in ROWS if row["technique"].startswith("uri")]


@needs_vectors
@pytest.mark.parametrize("row", URI_ROWS, ids=[row["text"] for row in URI_ROWS])
def test_phone_vector_links(row: dict[str, str]) -> None:
    phone = phone_from_href(row["text"])
    assert phone is not None and phone.value == row["expected_e164"]


# (text, regions, expected E.164 list, obscured) — one row per hiding style seen in ads.
OBFUSCATED = [
    ("Call/SMS: +33 7 4O89 3488", ["FR"], ["+33740893488"], True),
    ("Tel: +49 l76 7892 3l8l", ["NL"], ["+4917678923181"], True),
    ("+48 6O 2OO 3882", ["RO"], ["+48602003882"], True),
    ("Call/SMS: +4️⃣8️⃣ 8️⃣8️⃣ 7️⃣1️⃣7️⃣ 3️⃣8️⃣5️⃣7️⃣ Report", ["PL"], ["+48887173857"], True),
    ("Contact: + 3 1 🔥 6 🔥 6 0 7 7 🔥 5 0 2 3 · TG", ["BE"], ["+31660775023"], True),
    ("Tel: 3 2 ✨ 0 8 ✨ 1 1 ✨ 3 2 ✨ 8 7 Report", ["IT"], ["+393208113287"], True),
    ("Call/SMS: 6 💎 2 3 2 4 2 0 2 8", ["ES"], ["+34623242028"], True),
    ("06 ❶❷❸❹❺❻❼❽", ["FR"], ["+33612345678"], True),
    ("⓿❻❶❷❸❹❺❻❼❽", ["FR"], ["+33612345678"], True),
    ("06/12/34/56/78", ["FR"], ["+33612345678"], True),
    ("plus three two four seven zero six eight four four one nine", ["BE"], ["+32470684419"], True),
    ("nul zes een twee drie vier vijf zes zeven acht", ["NL"], ["+31612345678"], True),
    ("nul zes twaalf vierendertig zesenvijftig achtenzeventig", ["NL"], ["+31612345678"], True),
    ("null eins fünf eins zwei drei fünfundvierzig sechs sieben acht neun", ["DE"], ["+4915123456789"], True),
    ("seis doce treinta y cuatro cincuenta y seis setenta y ocho", ["ES"], ["+34612345678"], True),
    ("pięć jeden dwa trzy cztery pięć sześć siedem osiem", ["PL"], ["+48512345678"], True),
    ("nove um dois três quatro cinco seis sete oito", ["PT"], ["+351912345678"], True),
    ("zero seven four double zero one two three four five six", ["GB"], ["+447400123456"], True),
    ("call me: zero six, twelve, thirty four, fifty six, seventy eight", ["NL"], ["+31612345678"], True),
    # Written plainly: found without de-obfuscation, so not obscured.
    ("Kontakt: 📞 +48.88.560.8792", ["PL"], ["+48885608792"], False),
    ("Contact: 📞 074-2567331", ["RO"], ["+40742567331"], False),
    ("Apply: careers @ x . it · 333.3049832 Report", ["IT"], ["+393333049832"], False),
    ("Tel: 88 98 60 19 6", ["PL"], ["+48889860196"], False),
    ("WhatsApp: 6-04839827", ["ES"], ["+34604839827"], False),
    ("WhatsApp: wa.me/48693525733", [], ["+48693525733"], False),
]


@pytest.mark.parametrize(("text", "regions", "expected", "obscured"), OBFUSCATED)
def test_obfuscation_styles(text: str, regions: list[str], expected: list[str], obscured: bool) -> None:
    found = find_phones(text, regions)
    assert [phone.value for phone in found] == expected
    assert all(phone.obscured is obscured for phone in found)


# (text, regions) — prices, dates, ages, ids, counts, wallets and URL parts that must stay silent.
LOOK_ALIKES = [
    ("150 EUR", ["DE"]),
    ("iPhone 13, 128 GB – 780 zł · Warszawa · 11.08.2025 · ID 84850732 · 7352 views", ["PL"]),
    ("€ 612345678", ["ES"]),
    ("612345678 EUR", ["ES"]),
    ("612345678 views", ["ES"]),
    ("ID 612345678", ["PL"]),
    ("https://vk.com/id91554710?id=91554710", ["FR"]),
    ("hxxps://allekoop[.]pl/listing?cat=home&id=612345678", ["PL"]),
    ("https://x.es/a/greta-19-612345678", ["ES"]),
    ("greta-lyon-612345678", ["ES"]),
    ("15.09.2025", ["DE", "NL", "FR", "PL", "RO"]),
    ("15/09/2025", ["DE", "NL", "FR", "PL", "RO", "US"]),
    ("VK © 2006–2025 · Rules", ["LV", "FR"]),
    ("Anna, 19 jaar. €140 per uur. Since 2023 #new27", ["NL"]),
    ("Young and fresh, 23 years old, new to this! 1h 280 €", ["GB"]),
    ("bc1qdhjkjy8zuxtztvcnzjvk3xtdz2gwjvylhl4uuz", ["GB", "NL", "PL"]),
    ("0x674B0F18303cc97366Ff8DA87e90f88e6f691891", ["GB", "NL", "PL"]),
    ("148CcALdEJgzgJZ8rncdWuxNbzT9DtVJhq TUF3Cw3Jury4XUQFpg6kRfSgDFSKdF8beN", ["GB", "NL", "PL"]),
    ("een goede massage, een twee drie", ["NL"]),
    ("one to one, 2 for 1, double room", ["GB"]),
    ("sizes 36, 38, 40, 42, 44, 46 in stock", ["FR"]),  # commas join number words only, not digits
    ("one, two, three, four, five, six, seven, go", ["GB"]),
    ("Tallas: ocho, diez, doce, catorce, dieciséis", ["ES"]),  # a list of sizes, not "+34 810…"
    ("Horario: nueve, diez, once, doce, trece horas", ["ES"]),
    ("Godziny: dziewięć, dziesięć, jedenaście, dwanaście, trzynaście", ["PL"]),
    ("06-86176955", ["GB", "PL"]),  # a Dutch national number is not read under other hints
    ("06-86176955", []),
    ("+447700900123", ["GB"]),  # drama range: possible, not valid
]


@pytest.mark.parametrize(("text", "regions"), LOOK_ALIKES)
def test_look_alikes_are_not_phones(text: str, regions: list[str]) -> None:
    assert find_phones(text, regions) == []


@pytest.mark.parametrize(
    ("regions", "expected"),
    [
        (["GB", "NL"], ["+31686176955"]),  # not valid in GB, so the next hint reads it
        (["NL", "DE"], ["+31686176955"]),
        # Valid as a German landline too: the hints' order is the only tie-breaker.
        (["DE", "NL"], ["+49686176955"]),
    ],
)
def test_region_order_decides_national_numbers(regions: list[str], expected: list[str]) -> None:
    assert [phone.value for phone in find_phones("Contact: 06-86176955", regions)] == expected


def test_identifier_fields() -> None:
    text = "Tel +31 6 8617 6955, again +31686176955, then nul zes een twee drie vier vijf zes zeven acht"
    found = find_phones(text, ["NL"], source="message")
    assert [(p.value, p.raw, p.obscured) for p in found] == [
        ("+31686176955", "+31 6 8617 6955", False),
        ("+31612345678", "nul zes een twee drie vier vijf zes zeven acht", True),
    ]
    assert {(p.kind, p.source, p.furniture) for p in found} == {("phone", "message", False)}


# (input, de-obfuscated) — the pass itself: digits come out, words stay words.
DEOBFUSCATED = [
    ("074OO l23456", "07400 123456"),
    ("0️⃣6️⃣ 12", "06 12"),
    ("＋３１ ６", "+31 6"),
    ("201*555*0123", "201 555 0123"),
    ("two zero one five five five zero one two three", "2015550123"),
    ("zéro six douze trente-quatre cinquante-six soixante-dix-huit", "0612345678"),
    ("Hello World, Oslo 2025, I love it", "Hello World, Oslo 2025, I love it"),
    ("one two three", "one two three"),  # too short to be a phone number
    ("Model3 and iPhone13", "Model3 and iPhone13"),
    ("€150 🔥 2 hours", "€150 🔥 2 hours"),
]


@pytest.mark.parametrize(("text", "expected"), DEOBFUSCATED)
def test_deobfuscate_digits(text: str, expected: str) -> None:
    assert deobfuscate_digits(text) == expected


@pytest.mark.parametrize("text", [row[0] for row in DEOBFUSCATED] + [row[0] for row in OBFUSCATED])
def test_offsets_point_into_the_original(text: str) -> None:
    readable, offsets = deobfuscate_with_offsets(text)
    assert len(offsets) == len(readable)
    assert list(offsets) == sorted(offsets) and all(0 <= o < len(text) for o in offsets)


# (href, regions, expected E.164 or None)
LINKS = [
    ("tel:+33612345678", [], "+33612345678"),
    ("tel:+33-6-12-34-56-78", [], "+33612345678"),
    ("tel:0612345678", ["FR"], "+33612345678"),
    ("tel:0612345678", [], None),
    ("tel:612345678;phone-context=+34", [], "+34612345678"),
    ("https://wa.me/447400123456", [], "+447400123456"),
    ("https://wa.me/+447400123456?text=hi", [], "+447400123456"),
    ("https://api.whatsapp.com/send?phone=4915123456789", [], "+4915123456789"),
    ("https://api.whatsapp.com/send/?phone=%2B4915123456789&text=hallo", [], "+4915123456789"),
    ("whatsapp://send?phone=48602003882", [], "+48602003882"),
    ("https://wa.me/message/ABCDEF123", [], None),
    ("https://chat.whatsapp.com/AbCdEf123456", [], None),
    ("https://wa.me/447700900123", [], None),  # not a valid number
    ("mailto:anna@example.com", [], None),
    ("https://example.com/?phone=4915123456789", [], None),
]


@pytest.mark.parametrize(("href", "regions", "expected"), LINKS)
def test_phone_from_href(href: str, regions: list[str], expected: str | None) -> None:
    phone = phone_from_href(href, regions)
    assert (phone.value if phone else None) == expected
    if phone is not None:
        assert phone.raw == href and phone.kind == "phone"


def _dev_pages(corpus: Path) -> Iterator[tuple[str, str, list[str]]]:
    """(url, body text, hrefs) for every 200 HTML page of a corpus."""
    from selectolax.lexbor import LexborHTMLParser

    for url, _, raw in html_responses(corpus):
        tree = LexborHTMLParser(raw)
        text = tree.body.text(separator=" ") if tree.body else ""
        hrefs = [a.attributes.get("href") or "" for a in tree.css("a")]
        yield url, text, hrefs


def _site_region(url: str) -> list[str]:
    tld = url.split("/")[2].rsplit(".", 1)[-1].upper()
    return [{"UK": "GB"}.get(tld, tld)] if len(tld) == 2 else []


def test_corpus_phone_recall(corpus: Path) -> None:
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))["pages"]
    hits = false_alarms = expected_total = 0
    misses: list[str] = []
    wrong: list[str] = []
    for url, text, hrefs in _dev_pages(corpus):
        page = truth[url]
        regions = [*_site_region(url), page["country"]]
        found = {phone.value for phone in find_phones(text, regions)}
        found |= {p.value for p in map(lambda h: phone_from_href(h, regions), hrefs) if p is not None}
        expected = set(page["identifiers"]["phone"])
        # Site furniture is told apart later (boilerplate module); here it is merely allowed.
        allowed = expected | set(page["site_boilerplate"].get("phone", []))
        expected_total += len(expected)
        hits += len(found & expected)
        false_alarms += len(found - allowed)
        misses += [f"{url} {value}" for value in expected - found]
        wrong += [f"{url} {value}" for value in found - allowed]
    recall = hits / expected_total
    precision = hits / (hits + false_alarms) if hits + false_alarms else 1.0
    assert expected_total > 0
    assert recall >= 0.97, f"recall {recall:.3f}; missed: {misses}"
    assert precision >= 0.97, f"precision {precision:.3f}; false alarms: {wrong}"
