"""Deconfliction through the real pipeline: shared identifiers, copied templates, networks, noise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from sqlmodel import select

from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from deconfliction import noise
from extraction.fetch.archive import WarcArchive
from storage.engine import make_engine
from storage.models import Finding, FindingIndicator, Network
from tests.warcs import html, write_warc

T0 = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)
_keys = count()
TEMPLATE = (
    "★ Velvet Roses ★ since 2016 · #velvetroses. Hi gentlemen, I am {name}, {age} years old, sweet, elegant "
    "and "
    "discreet; I love dinners and relaxing massages. Appointments only through my manager. Just arrived in "
    "{city} for a few days only! {price} EUR per hour. Kisses, {name}. Contact: {contact}"
)


def ad(name: str, age: int, city: str, price: int, contact: str) -> bytes:
    text = TEMPLATE.format(name=name, age=age, city=city, price=price, contact=contact)
    return html(
        text, title=f"{name} {age} · {city}", footer="support@escortsite.example · Tel. +44 20 7946 0000"
    )


PAGES = {
    # Two ads joined by one phone, in two cities.
    "https://escortsite.example/ad/1": ad("Anna", 23, "Lyon", 200, "+40 712 345 678"),
    "https://escortsite.example/ad/2": ad("Bea", 25, "Wien", 220, "+40 712 345 678 · t.me/velvet_roses_vip"),
    # The same template, no shared identifier: joined by text only.
    "https://otherads.example/p/3": ad("Cleo", 21, "Milano", 180, "+39 312 345 6789"),
    # An unrelated page carrying the site's support phone and a libphonenumber example number.
    "https://escortsite.example/ad/4": html(
        "Selling a bicycle, call +44 7400 123456 or +40 712 345 679.",
        footer="support@escortsite.example · Tel. +44 20 7946 0000",
    ),
    "https://escortsite.example/ad/5": html(
        "Garden furniture, call +44 7400 123456 or +40 712 345 680.",
        footer="support@escortsite.example · Tel. +44 20 7946 0000",
    ),
}


def say(text: str, user: str = "tg:1", minutes: int = 0) -> Invocation:
    return Invocation(
        participant_id=user,
        platform="telegram",
        chat_id="thb",
        text=text,
        ts=T0 + timedelta(minutes=minutes),
        message_key=f"d{next(_keys)}",
        participant_name={"tg:1": "Anna", "tg:2": "Mihai"}[user],
        country={"tg:1": "NL", "tg:2": "RO"}[user],
        vouched=True,
    )


@pytest.fixture
def hub(tmp_path: Path, db_url: str) -> Dispatcher:
    warc = write_warc(tmp_path / "p.warc.gz", {u: (200, "text/html", b, None) for u, b in PAGES.items()})
    return Dispatcher(
        engine=make_engine(db_url),
        fetcher=WarcArchive([warc]),
        registry=load_registry(),
        config=HubConfig(),
    )


def test_a_shared_phone_links_findings_and_the_reply_names_the_earlier_one(hub: Dispatcher) -> None:
    hub.handle(say("https://escortsite.example/ad/1"))
    reply = hub.handle(say("https://escortsite.example/ad/2", user="tg:2", minutes=90))[0].text
    assert "🔗 phone `+40712345678` also in #1 (reported by Anna, NL, 1 h ago)" in reply
    assert "network N" in reply
    with hub.session() as session:
        a, b = session.exec(select(Finding).order_by(Finding.id)).all()
    assert a.network_id == b.network_id is not None


def test_a_copied_template_links_findings_without_any_shared_identifier(hub: Dispatcher) -> None:
    hub.handle(say("https://escortsite.example/ad/1"))
    reply = hub.handle(say("https://otherads.example/p/3", minutes=5))[0].text
    assert "≈ ad text" in reply and "like #1 (copied template)" in reply
    assert "🔗" not in reply  # nothing shared but the text


def test_networks_merge_and_the_older_id_survives(hub: Dispatcher) -> None:
    hub.handle(say("https://escortsite.example/ad/1"))
    hub.handle(say("https://otherads.example/p/3", minutes=1))  # joins #1 by text: network A
    with hub.session() as session:
        first_network = session.exec(select(Finding)).first().network_id  # type: ignore[union-attr]
    hub.handle(say("https://escortsite.example/ad/2", minutes=2))  # phone of #1 and the template
    with hub.session() as session:
        ids = {f.network_id for f in session.exec(select(Finding))}
        networks = session.exec(select(Network)).all()
    assert ids == {first_network}
    assert all(n.merged_into in (None, first_network) for n in networks)


def test_site_furniture_and_warninglisted_numbers_never_link(hub: Dispatcher) -> None:
    assert noise.never_links("phone", "+447400123456") is not None  # libphonenumber's GB example mobile
    hub.handle(say("https://escortsite.example/ad/4"))
    reply = hub.handle(say("https://escortsite.example/ad/5", minutes=3))[0].text
    assert "+442079460000" not in reply  # the site's footer phone is not an identifier of the ad
    assert "not linked" in reply and "example number" in reply
    with hub.session() as session:
        assert {f.network_id for f in session.exec(select(Finding))} == {None}


def test_one_phone_in_suspect_ads_for_two_cities_flags_both(hub: Dispatcher) -> None:
    hub.handle(say("https://escortsite.example/ad/1"))
    hub.handle(say("https://escortsite.example/ad/2", minutes=10))
    with hub.session() as session:
        flagged = session.exec(
            select(FindingIndicator).where(FindingIndicator.code == "multiple_cities")
        ).all()
        cities = {f.id: f.city for f in session.exec(select(Finding))}
    assert cities == {1: "Lyon", 2: "Wien"}
    assert sorted(i.finding_id for i in flagged) == [1, 2]
    assert all("lyon" in i.evidence.lower() and "wien" in i.evidence.lower() for i in flagged)


def test_a_value_on_too_many_sites_stops_linking(tmp_path: Path, sqlite_url: str) -> None:
    sites = noise.OVER_CORRELATION_SITES + 2
    pages = {
        f"https://site{n}.example/ad/1": (
            200,
            "text/html",
            html(f"Room {n} to rent. Call +40 722 000 111"),
            None,
        )
        for n in range(sites)
    }
    hub = Dispatcher(
        engine=make_engine(sqlite_url),
        fetcher=WarcArchive([write_warc(tmp_path / "m.warc.gz", pages)]),
        registry=load_registry(),
        config=HubConfig(),
    )
    replies = [hub.handle(say(url, minutes=n))[0].text for n, url in enumerate(pages)]
    assert "🔗 phone `+40722000111` also in #1" in replies[1]
    assert "not linked: seen on more than" in replies[-1]
