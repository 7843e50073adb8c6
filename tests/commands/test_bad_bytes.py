"""Bad bytes at intake (issue #18 item 7): invalid UTF-8, lone surrogates and NUL in transcript
lines, chat text, names and command arguments are stored and answered, on SQLite and PostgreSQL;
out-of-range numbers in arguments get the usage reply instead of failing at every restart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli import main
from commands.core.dispatcher import Dispatcher
from storage.models import Participant, Submission
from tests.commands.conftest import COORDINATOR, URL1, ask
from tests.transcripts import line
from tests.warcs import html, write_warc


def submissions(hub: Dispatcher) -> list[Submission]:
    with hub.session() as session:
        return list(session.exec(select(Submission).order_by(Submission.id)))  # type: ignore[arg-type]


def test_nul_and_lone_surrogates_in_text_and_name_are_stored_and_answered(hub_both: Dispatcher) -> None:
    joined = ask(hub_both, "/join DE Bo\x00b\ud800", user="tg:5")
    assert "Bob" in joined.text and "\x00" not in joined.text
    reply = ask(hub_both, f"look \x00here {URL1} \udfff", user="tg:5")
    assert "#1" in reply.text and "replaced" in reply.text.lower()
    stored = submissions(hub_both)[-1]
    assert stored.status == "done"
    assert "\x00" not in stored.text and "\ufffd" in stored.text and URL1 in stored.text
    with hub_both.session() as session:
        person = session.get(Participant, "tg:5")
    assert person is not None and "\x00" not in person.name and "\ud800" not in person.name


def test_nul_in_a_command_argument_is_removed_before_storing(hub_both: Dispatcher) -> None:
    reply = ask(hub_both, "/lookup +31 6 4150\x00 2873")
    assert submissions(hub_both)[-1].status == "done"
    assert "\x00" not in submissions(hub_both)[-1].text and reply.text


@pytest.mark.parametrize("argument", ["--network N99999999999999999999", "--since 99999999999999999999h"])
def test_an_out_of_range_number_gets_the_usage_and_is_not_retried(
    hub_both: Dispatcher, argument: str
) -> None:
    reply = ask(hub_both, f"/export csv {argument}", user=COORDINATOR)
    assert reply.refused and "Something failed" not in reply.text
    assert submissions(hub_both)[-1].status == "done"
    assert hub_both.resume() == []  # nothing left to retry at the next start


def test_a_transcript_with_bad_bytes_is_replayed_line_by_line(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = html("Anna, 23, new in town. Call +31 6 4150 2873")
    warc = write_warc(tmp_path / "p.warc.gz", {URL1: (200, "text/html; charset=utf-8", page, None)})
    good = json.dumps(line(1, "/counts")).encode()
    invalid_utf8 = json.dumps(line(2, "caf\u00e9 " + URL1)).encode().replace(b"caf\\u00e9", b"caf\xe9")
    surrogate = json.dumps(line(3, "/status \ud83d")).encode()  # a lone high surrogate, JSON-escaped
    nul = json.dumps(line(4, "hi\x00 there", name="An\x00na")).encode()
    path = tmp_path / "m.jsonl"
    path.write_bytes(b"\n".join([good, invalid_utf8, surrogate, nul, b"{broken"]) + b"\n")
    assert main(["replay", str(path), "--warc", str(warc), "--db", db_url, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "replayed 4 of 5 lines" in err
    assert "line 2" in err and "invalid" in err and "line 5" in err
    from storage.engine import make_engine

    engine = make_engine(db_url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("select text, status from submissions order by id").all()
    engine.dispose()
    assert [status for _, status in rows] == ["done"] * 4
    assert rows[1][0] == "caf\ufffd " + URL1 and rows[2][0] == "/status \ufffd" and rows[3][0] == "hi there"
