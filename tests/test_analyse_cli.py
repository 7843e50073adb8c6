"""`hub analyse`: saved pages and a WARC in, one JSON line per page out (no chat, no database)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.warcs import write_warc


def html(body: str, *, title: str = "Ad", lang: str = "en") -> bytes:
    """A saved ad page in the language `lang`."""
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><main><article>{body}</article></main></body></html>"
    ).encode()


AD_DE = html(
    "<h1>Neu in der Stadt</h1><p>Hallo, ich bin Mia, neu in Köln. Schreib an mia.koeln (at) web (dot) de "
    "oder ruf an: 0151 23456789.</p>",
    title="Mia",
    lang="de",
)
AD_FR = html("<p>Nouvelle à Lyon. Écris-moi : chloe.lyon arobase orange point fr</p>", lang="fr")
AD_ES = html("<p>Recién llegada a Madrid, solo incall. WhatsApp +34 612 34 56 78</p>", lang="es")
STOPPED = html("<p>Hi gentlemen, I am Olivia, 16 years old. Contact olivia16@example.com</p>", title="Olivia")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["analyse", *argv]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def _values(report: dict[str, object]) -> dict[str, str]:
    identifiers = report["identifiers"]
    assert isinstance(identifiers, list)
    return {item["value"]: item["kind"] for item in identifiers}


def test_saved_pages_give_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = []
    for name, body in (("de.html", AD_DE), ("fr.html", AD_FR)):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(body)
    de, fr = _run([str(path) for path in paths], capsys)
    assert de["url"] == paths[0].resolve().as_uri()
    assert _values(de) == {"+4915123456789": "phone", "mia.koeln@web.de": "email"}
    assert _values(fr) == {"chloe.lyon@orange.fr": "email"}
    assert fr["language"] == "fr" and de["kind"] == "other"
    assert isinstance(de["ms"], float) and de["csam_stop"] is None
    assert [(i["code"], i["quote"]) for i in de["indicators"]] == [("new_in_town", "Neu in der Stadt")]  # type: ignore[attr-defined]


def test_identifier_spans_point_at_their_spelling(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "de.html"
    page.write_bytes(AD_DE)
    (report,) = _run([str(page), "--url", "https://anzeigen.example.de/mia"], capsys)
    assert report["url"] == "https://anzeigen.example.de/mia"
    assert "DE" in report["region_hints"]  # type: ignore[operator]
    for item in report["identifiers"]:  # type: ignore[attr-defined]
        start, end = item["span"]
        assert end - start == len(item["raw"]) and item["raw"] in item["context"]
    email = next(i for i in report["identifiers"] if i["kind"] == "email")  # type: ignore[attr-defined]
    assert email["raw"] == "mia.koeln (at) web (dot) de" and email["obscured"] is True


def test_country_is_a_region_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "ad.html"
    page.write_bytes(html("<p>Nieuw hier, bel 0612345678</p>", lang="xx"))
    (report,) = _run([str(page), "--country", "nl"], capsys)
    assert report["region_hints"][-1] == "NL"  # type: ignore[index]
    assert _values(report) == {"+31612345678": "phone"}


def test_csam_stop_reports_only_the_fact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "stop.html"
    page.write_bytes(STOPPED)
    (report,) = _run([str(page)], capsys)
    assert report["csam_stop"]
    assert set(report) == {"url", "csam_stop", "ms"}
    assert "olivia" not in json.dumps(report).replace(page.resolve().as_uri(), "").lower()


def test_warc_pages_in_file_order_with_redirects_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warc = write_warc(
        tmp_path / "pages.warc.gz",
        {
            "https://anuncios.example.es/lucia": (200, "text/html; charset=utf-8", AD_ES, None),
            "http://short.example/x": (301, "text/html", b"", "https://annonces.example.fr/chloe"),
            "https://annonces.example.fr/chloe": (200, "text/html", AD_FR, None),
            "https://ads.example.com/olivia": (200, "text/html", STOPPED, None),
        },
    )
    es, fr, stopped = _run(["--warc", str(warc)], capsys)
    assert es["url"] == "https://anuncios.example.es/lucia" and _values(es) == {"+34612345678": "phone"}
    assert fr["url"] == "https://annonces.example.fr/chloe"
    assert _values(fr) == {"chloe.lyon@orange.fr": "email"}
    assert set(stopped) == {"url", "csam_stop", "ms"}
    (one,) = _run(["--warc", str(warc), "--url", "http://short.example/x"], capsys)
    assert one["final_url"] == "https://annonces.example.fr/chloe"
    assert _values(one) == {"chloe.lyon@orange.fr": "email"}


def test_a_url_missing_from_the_warc_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warc = write_warc(tmp_path / "p.warc.gz", {"https://a.example/": (200, "text/html", AD_ES, None)})
    (report,) = _run(["--warc", str(warc), "--url", "https://b.example/"], capsys)
    assert report["outcome"] == "not_fetched" and report["identifiers"] == []


@pytest.mark.parametrize(
    "argv",
    [
        [],  # neither pages nor a WARC
        ["page.html", "--warc", "p.warc.gz"],
        ["a.html", "b.html", "--url", "https://a.example/"],
        ["missing.html"],
    ],
)
def test_bad_arguments_say_why(argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("page.html", "a.html", "b.html"):
        (tmp_path / name).write_bytes(AD_FR)
    with pytest.raises(SystemExit, match="hub analyse: "):
        main(["analyse", *argv])
