"""Handles: profile URLs, platform labels, the bare-@ rule, negatives, and the corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.identifiers.handles import find_handles, handle_from_url, site_account
from tests.corpus_pages import load_dev_pages
from tests.extraction.test_emails import MIN_PRECISION, MIN_RECALL, precision_recall

URL_CASES = [
    ("https://t.me/golden_angels_vip", "telegram:golden_angels_vip"),
    ("https://t.me:443/Golden_Angels_VIP/", "telegram:golden_angels_vip"),
    ("t.me/krakow_expats_official/?utm_campaign=share", "telegram:krakow_expats_official"),
    ("https://telegram.me/anna_vip_2", "telegram:anna_vip_2"),
    ("https://t.me/s/some_channel", "telegram:some_channel"),
    ("tg://resolve?domain=anna_vip_2", "telegram:anna_vip_2"),
    ("https://www.instagram.com/mila.rose.eu/", "instagram:mila.rose.eu"),
    ("https://m.instagram.com/Carla.VIP?igsh=abc", "instagram:carla.vip"),
    ("https://www.instagram.com/stories/anna.v/123456/", "instagram:anna.v"),
    ("https://www.tiktok.com/@roxana.love.vip/", "tiktok:roxana.love.vip"),
    ("https://www.snapchat.com/add/royal_angels_15", "snapchat:royal_angels_15"),
    ("https://signal.me/#p/+31612345678", "signal:+31612345678"),
    ("https://www.facebook.com/profile.php?id=1000424930931555", "facebook:1000424930931555"),
    ("https://m.facebook.com/anna.smith.75", "facebook:anna.smith.75"),
    ("https://www.facebook.com/people/Anna-Smith/100012345678901/", "facebook:100012345678901"),
    ("https://vk.com/id84244290", "vk:id84244290"),
    ("https://vk.com/Anna_Ivanova", "vk:anna_ivanova"),
    ("https://onlyfans.com/anna_x", "onlyfans:anna_x"),
    # not profiles
    ("https://t.me/joinchat/AAAAAEh3", None),
    ("https://t.me/+AbCdEf123", None),
    ("https://t.me/s/", None),
    ("https://t.me/c/123456/7", None),
    ("https://t.me/", None),
    ("https://www.instagram.com/explore/tags/travel/", None),
    ("https://www.instagram.com/p/C1a2b3c4/", None),
    ("https://www.instagram.com/reel/C1a2b3c4/", None),
    ("https://www.tiktok.com/tag/travel", None),
    ("https://www.facebook.com/help/123", None),
    ("https://www.facebook.com/groups/123456", None),
    ("https://www.facebook.com/profile.php", None),
    ("https://vk.com/feed", None),
    ("https://onlyfans.com/my/subscriptions", None),
    ("https://signal.me/#eu/aGVsbG8", None),
    ("https://wa.me/31612345678", None),
    ("https://chat.whatsapp.com/Yr5QBHAjxPGawZV5m8trB2", None),
    ("https://api.whatsapp.com/send?phone=31612345678", None),
    ("https://www.example.com/anna", None),
    ("https://notinstagram.com/anna", None),
    ("https://t.me.evil.example/anna_vip_2", None),
    ("https://[t.me/anna_vip_2", None),
]


@pytest.mark.parametrize(("url", "expected"), URL_CASES)
def test_handle_from_url(url: str, expected: str | None) -> None:
    identifier = handle_from_url(url)
    assert (identifier.value if identifier else None) == expected


TEXT_CASES = [
    # labels
    ("TG ➜ Ruby_angels_vip", "page", ["telegram:ruby_angels_vip"]),
    ("TG: anna_vip_2", "page", ["telegram:anna_vip_2"]),
    ("Contact: +4917678923181 · Telegram: @royal_angels_vip", "page", ["telegram:royal_angels_vip"]),
    ("IG ➜ carla.vip", "page", ["instagram:carla.vip"]),
    ("Instagram:  IG ➜ carla.vip", "page", ["instagram:carla.vip"]),
    ("Insta: @eva.team.", "page", ["instagram:eva.team"]),
    ("👻 royal_angels_15 · Tel", "page", ["snapchat:royal_angels_15"]),
    ("snap: royal_angels_15", "page", ["snapchat:royal_angels_15"]),
    ("Signal: ambermuses.33", "page", ["signal:ambermuses.33"]),
    ("TikTok: @anna.travels", "page", ["tiktok:anna.travels"]),
    # URLs inside text
    ("Contact: t.me/golden_models_booking · +32 496", "page", ["telegram:golden_models_booking"]),
    ("see https://www.instagram.com/elena.team/, then", "page", ["instagram:elena.team"]),
    ("IG: instagram.com/anna.v", "page", ["instagram:anna.v"]),
    # the bare-@ rule
    ("Deconfliction request: @euro_work_solu_eu", "message", ["telegram:euro_work_solu_eu"]),
    ("Deconfliction request: @euro_work_solu_eu", "page", []),
    ("TG @unknown_contac_booking keeps popping up", "message", ["telegram:unknown_contac_booking"]),
    ("write me on Telegram (24/7) @anna_vip_2", "page", ["telegram:anna_vip_2"]),
    ("✈️ @anna_vip_2", "page", ["telegram:anna_vip_2"]),
    ("Telegram channel news · Instagram @anna_vip_2", "page", ["instagram:anna_vip_2"]),
    ("follow @anna_vip_2 for more", "page", []),
    # negatives
    ("Instagram:   Instagram   Report", "page", []),
    ("Contact:   Telegram   Report", "page", []),
    ("Signal: +31 6 1234 5678", "page", []),
    ("Signal: available all day", "page", []),
    ("#rubyangels #new27", "page", []),
    ("anna_vip_2@mail.com", "message", []),
    ("https://www.tiktok.com/@anna_travels_eu via @", "message", ["tiktok:anna_travels_eu"]),
    ("<@U024BE7LH> can you check", "message", []),
    ("WhatsApp: https://wa.me/31612345678", "page", []),
    ("t.me/joinchat/AAAAAEh3 and instagram.com/explore", "page", []),
]


@pytest.mark.parametrize(("text", "source", "expected"), TEXT_CASES)
def test_find_handles(text: str, source: str, expected: list[str]) -> None:
    found = find_handles(text, source="message" if source == "message" else "page")
    assert [identifier.value for identifier in found] == expected


def test_find_handles_once_each_in_order() -> None:
    text = "TG: anna_vip_2 · t.me/anna_vip_2 · IG ➜ carla.vip · Telegram: @Anna_Vip_2"
    assert [identifier.value for identifier in find_handles(text)] == [
        "telegram:anna_vip_2",
        "instagram:carla.vip",
    ]


# The corpus lists a profile page's own handle only for Instagram and Telegram pages
# (README: "a profile page lists its own handle (instagram/telegram)").
OWN_HANDLE_PLATFORMS = ("telegram", "instagram")


def test_corpus_handles(corpus: Path) -> None:
    pages = load_dev_pages(corpus)
    found, expected = [], []
    for page in pages:
        values = {identifier.value for identifier in find_handles(page.text)}
        own = handle_from_url(page.url)
        if own is not None and own.value.split(":")[0] in OWN_HANDLE_PLATFORMS:
            values.add(own.value)
        found.append(values)
        # WhatsApp numbers are phones; the phone module owns them.
        expected.append(
            {value for value in page.truth["identifiers"]["handle"] if not value.startswith("whatsapp:")}
        )
    precision, recall, misses = precision_recall(found, expected)
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, (precision, recall, misses)


def test_corpus_typed_handles_in_messages(corpus: Path) -> None:
    """Handles typed in chat are found; pasted profile links are links (the caller's business)."""
    truth = json.loads((corpus / "truth.json").read_text("utf-8"))
    messages = (corpus / "messages.jsonl").read_text("utf-8").splitlines()
    typed = {row["msg_index"]: set(row["identifiers"]["handle"]) for row in truth["text_identifiers"]}
    for index, line in enumerate(messages):
        found = find_handles(json.loads(line)["text"], source="message")
        not_from_links = {identifier.value for identifier in found if "/" not in identifier.raw}
        assert not_from_links == typed.get(index, set()), (index, not_from_links)


# A platform's name glued to a word by a hyphen is a compound noun in de/fr/es/pl/nl, no handle.
COMPOUNDS = [
    "Folgen Sie uns auf unserer Instagram-Seite",
    "Im TikTok-Video sieht man die Brücke",
    "Abonnieren Sie unseren Telegram-Kanal",
    "Rejoignez notre groupe Telegram-officiel",
    "Mira nuestro Instagram-oficial",
    "Zobacz nasze Instagram-konto",
    "Volg ons Telegram-kanaal",
]


@pytest.mark.parametrize("text", COMPOUNDS)
def test_a_hyphenated_compound_is_no_handle(text: str) -> None:
    assert find_handles(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("IG-anna.vip", "instagram:anna.vip"),
        ("Instagram-@anna_x", "instagram:anna_x"),
        ("TG - anna_vip", "telegram:anna_vip"),
    ],
)
def test_a_hyphen_before_handle_syntax_still_labels_a_handle(text: str, value: str) -> None:
    assert [i.value for i in find_handles(text)] == [value]


@pytest.mark.parametrize(
    ("value", "url", "expected"),
    [
        ("facebook:latimes", "https://www.latimes.com/world/story", True),
        ("facebook:watson.news", "https://www.watson.ch/leben/1", True),
        ("instagram:sportnews.bz", "https://www.sportnews.bz/artikel/2", True),
        ("facebook:laviedesideesfr", "https://laviedesidees.fr/x.html", True),
        ("facebook:thw.de", "https://www.thw.de/meldung", True),
        ("instagram:psl_univ", "https://www.psl.eu/actualites", True),
        ("facebook:oliver.baroni", "https://www.watson.ch/leben/1", False),  # an author, not the site
        ("telegram:royal_angels_vip", "https://www.citycompanions.example/ad/1", False),
        ("instagram:anna.vip", "https://www.instagram.com/anna.vip/", False),  # the platform's own profile
        ("telegram:golden_vip", "https://t.me/golden_vip", False),
    ],
)
def test_a_sites_own_account_is_recognised_by_its_name(value: str, url: str, expected: bool) -> None:
    assert site_account(value, url) is expected


@pytest.mark.parametrize(
    "text",
    [
        "Snapchat - Android App",
        "Instagram: Werbung, Werbung, Werbung!",
        "TikTok: Trends der Woche",
        "Telegram → Kanäle",
    ],
)
def test_a_capitalised_word_after_a_label_is_prose(text: str) -> None:
    assert find_handles(text) == []
