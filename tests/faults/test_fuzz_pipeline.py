"""Hypothesis fuzzing of the message pipeline: no exception escapes; every message is answered or
refused with a reason, and stored. CI runs a few hundred examples; the benchmark profile
(HUB_FUZZ_EXAMPLES=10000) runs ten thousand."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from bot.replay import replay
from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from extraction.fetch.archive import WarcArchive
from storage.engine import make_engine, upgrade
from storage.models import Submission
from tests.transcripts import line
from tests.warcs import html, write_warc

EXAMPLES = int(os.environ.get("HUB_FUZZ_EXAMPLES", "300"))
_keys = count()

fragments = st.sampled_from(
    [
        "https://www.rozenkamer.nl/ad/1",
        "hxxps://rozenkamer[.]nl/ad/1",
        "javascript:alert(1)",
        "http://127.0.0.1/",
        "http://[::1]/x",
        "https://user:pw@x.com/",
        "data:text/html,hi",
        "http://abc.onion/",
        "www.example.nl/ad/9",
        "<https://x.example/a|label>",
        "+31 6 1234 5678",
        "anna (at) mail (dot) com",
        "t.me/some_handle",
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        "/counts",
        "/lookup +31612345678",
        "/finding 1",
        "/network N1",
        "/victim 1 note",
        "/undo 1",
        "/join NL Fuzz",
        "/help",
        "/status",
        "/confirm 1",
        "\u202e",
        "\u200b",
        "📞",
        "#1",
        "https://bit.ly/abc",
        "http://0x7f.1/",
        "https://exa mple.com",
        "http://%zz",
        "https://",
        "ftp://x/",
    ]
)
messages = st.lists(st.one_of(fragments, st.text(max_size=40)), min_size=1, max_size=6).map(" ".join)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Dispatcher:
    work = tmp_path_factory.mktemp("fuzz")
    warc = write_warc(
        work / "p.warc.gz",
        {
            "https://www.rozenkamer.nl/ad/1": (200, "text/html", html("Anna 23, +31 6 1234 5678"), None),
            "https://bit.ly/abc": (301, "text/html", b"", "https://www.rozenkamer.nl/ad/1"),
        },
    )
    engine = make_engine(f"sqlite:///{work / 'fuzz.db'}")
    upgrade(engine)
    return Dispatcher(
        engine=engine,
        fetcher=WarcArchive([warc]),
        registry=load_registry(),
        config=HubConfig(),
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=messages)
@example(text="https:// 0[0")  # urlsplit raised "Invalid IPv6 URL" out of the planner
def test_every_message_is_answered_or_refused_and_stored(hub: Dispatcher, text: str) -> None:
    key = f"fuzz-{next(_keys)}"
    inv = Invocation(
        participant_id="tg:fuzz",
        platform="telegram",
        chat_id="fuzz",
        text=text,
        ts=datetime(2025, 9, 15, 9, 0, tzinfo=UTC),
        message_key=key,
        participant_name="Fuzz",
        country="NL",
        vouched=True,
    )
    replies = hub.handle(inv)  # must not raise
    with hub.session() as session:
        stored = session.exec(select(Submission).where(Submission.message_key == key)).one()
        assert session.exec(select(func.count()).select_from(Submission)).one() >= 1
    assert stored.status in ("done", "refused"), stored.error
    for reply in replies:
        assert reply.text.strip()
        assert "Something failed" not in reply.text  # no crash reached the reporter


# Any code point, lone surrogates and NUL included: what a JSON payload or a transcript can carry.
raw_text = st.text(st.characters(blacklist_categories=()), max_size=30)
commands_with_args = st.tuples(
    st.sampled_from(["/join NL", "/lookup", "/finding", "/network", "/victim", "/checked", "/export csv"]),
    st.one_of(raw_text, st.sampled_from(["N99999999999999999999", "#99999999999999999999", "--network N1"])),
).map(" ".join)


transcript_lines = st.lists(
    st.binary(max_size=80)
    | raw_text.map(lambda t: t.encode("utf-8", "surrogatepass"))
    | st.builds(lambda t, n: json.dumps(line(next(_keys), t, name=n)).encode(), raw_text, raw_text),
    max_size=5,
)


@pytest.fixture
def hub_on_both(db_url: str, tmp_path: Path) -> Iterator[Dispatcher]:
    warc = write_warc(
        tmp_path / "p.warc.gz", {"https://www.rozenkamer.nl/ad/1": (200, "text/html", b"x", None)}
    )
    hub = Dispatcher(
        engine=make_engine(db_url),
        fetcher=WarcArchive([warc]),
        registry=load_registry(),
        config=HubConfig(coordinators=frozenset({"tg:fuzz"})),
    )
    yield hub
    hub.engine.dispose()


@settings(
    max_examples=max(30, EXAMPLES // 5),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=raw_text, text=st.one_of(commands_with_args, messages, raw_text))
def test_bad_bytes_in_names_and_arguments_are_stored_on_both_databases(
    hub_on_both: Dispatcher, name: str, text: str
) -> None:
    key = f"fuzz-{next(_keys)}"
    inv = Invocation(
        participant_id=f"tg:fuzz{name[:3]}",
        platform="telegram",
        chat_id="fuzz",
        text=text,
        ts=datetime(2025, 9, 15, 9, 0, tzinfo=UTC),
        message_key=key + name[:5],
        participant_name=name,
        country="NL",
        vouched=True,
    )
    replies = hub_on_both.handle(inv)  # must not raise
    for reply in replies:
        assert "Something failed" not in reply.text


@settings(
    max_examples=max(20, EXAMPLES // 10),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(
        st.binary(max_size=80) | raw_text.map(lambda t: t.encode("utf-8", "surrogatepass")), max_size=5
    )
)
def test_any_transcript_bytes_are_replayed_or_reported_by_line(
    hub_on_both: Dispatcher, tmp_path: Path, lines: list[bytes]
) -> None:
    good = json.dumps(line(next(_keys), "/counts")).encode()
    path = tmp_path / f"t{next(_keys)}.jsonl"
    path.write_bytes(b"\n".join([good, *(x.replace(b"\n", b" ") for x in lines)]) + b"\n")
    summary = replay(hub_on_both, path, on_reply=lambda inv, reply: None)  # must not raise
    assert summary.processed + len(summary.malformed) == summary.lines and summary.processed >= 1
