"""The generated week is what its truth says: deterministic, consistent, and valid by the specs."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import phonenumbers
import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.synthetic import codecs, week


@pytest.fixture(scope="module")
def generated() -> week.Week:
    return week.generate()


def _records(folder: Path) -> list[tuple[str, str, bytes]]:
    with (folder / "pages.warc.gz").open("rb") as stream:
        return [
            (
                r.rec_headers.get_header("WARC-Target-URI"),
                r.http_headers.get_statuscode(),
                r.content_stream().read(),
            )
            for r in ArchiveIterator(stream)
        ]


def test_one_seed_one_week_and_another_seed_another(tmp_path: Path) -> None:
    first = week.write(week.generate(7), tmp_path / "a")
    again = week.write(week.generate(7), tmp_path / "b")
    other = week.write(week.generate(8), tmp_path / "c")
    for name in ("messages.jsonl", "truth.json"):
        assert (first / name).read_bytes() == (again / name).read_bytes(), name
    assert _records(first) == _records(again)  # record ids are fresh uuids; the content is not
    assert (first / "truth.json").read_bytes() != (other / "truth.json").read_bytes()


def test_every_paste_points_at_a_served_answer_or_at_nothing(generated: week.Week) -> None:
    truth = generated.truth
    for row in truth["pasted"]:
        if row["fetch"] == "must_not_fetch":
            assert row["canonical"] is None and row["first_reporter"] is None
        elif row["fetch"] in ("html", "redirect_then_html"):
            assert row["canonical"] in truth["pages"], row
        else:
            assert row["canonical"] in truth["other_records"], row
    assert set(truth["pages"]) <= {row["canonical"] for row in truth["pasted"]}  # every page pasted
    texts = [m["text"] for m in generated.messages]
    for row in truth["pasted"]:
        assert row["raw"] in texts[row["msg_index"]]


def test_first_reporters_and_duplicates_follow_the_chat_order(generated: week.Week) -> None:
    seen: dict[str, str] = {}
    for row in sorted(generated.truth["pasted"], key=lambda r: r["msg_index"]):
        if row["canonical"] is None:
            continue
        poster = generated.messages[row["msg_index"]]["user"]["id"]
        assert row["is_duplicate"] == (row["canonical"] in seen)
        seen.setdefault(row["canonical"], poster)
        assert row["first_reporter"] == seen[row["canonical"]]
    assert sum(row["is_duplicate"] for row in generated.truth["pasted"]) >= 5


def test_identifiers_are_valid_and_decoys_are_not(generated: week.Week) -> None:
    pages = generated.truth["pages"]
    for page in pages.values():
        for phone in page["identifiers"]["phone"]:
            assert phonenumbers.is_valid_number(phonenumbers.parse(phone)), phone
        for address in page["identifiers"]["wallet"]:
            if address.startswith("bc1"):
                assert codecs.bech32_valid(address)
            elif address.startswith("0x"):
                assert address == codecs.eip55(bytes.fromhex(address[2:].lower()))
            else:
                assert codecs.base58check_valid(address), address
        furniture = set(page["site_boilerplate"]["phone"]) | set(page["site_boilerplate"]["email"])
        assert not furniture & {v for values in page["identifiers"].values() for v in values}
    assert generated.truth["decoys"]
    for decoy in generated.truth["decoys"]:
        assert not codecs.base58check_valid(decoy["value"])


def test_each_network_hangs_together_by_identifiers_except_its_template_only_page(
    generated: week.Week,
) -> None:
    pages, info = generated.truth["pages"], generated.truth["network_info"]
    for code, urls in generated.truth["networks"].items():
        linked = [u for u in urls if u not in info[code]["template_only"]]
        ids = {u: {v for values in pages[u]["identifiers"].values() for v in values} for u in urls}
        reach, frontier = {linked[0]}, [linked[0]]
        while frontier:  # breadth-first over shared identifiers
            here = frontier.pop()
            for there in linked:
                if there not in reach and ids[here] & ids[there]:
                    reach.add(there)
                    frontier.append(there)
        assert reach == set(linked), code
        for alone in info[code]["template_only"]:
            assert all(not ids[alone] & ids[other] for other in urls if other != alone)
    for a, b in itertools.combinations(generated.truth["networks"], 2):
        assert not set(generated.truth["networks"][a]) & set(generated.truth["networks"][b])


def test_the_warc_serves_every_page_and_redirect(tmp_path: Path, generated: week.Week) -> None:
    folder = week.write(generated, tmp_path)
    served = {}
    with (folder / "pages.warc.gz").open("rb") as stream:
        for record in ArchiveIterator(stream):
            served[record.rec_headers.get_header("WARC-Target-URI")] = record.http_headers.get_statuscode()
    assert {url: "200" for url in generated.truth["pages"]}.items() <= served.items()
    for url, answer in generated.truth["other_records"].items():
        assert served[url] == str(answer["status"])
    lines = (folder / "messages.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == generated.messages
