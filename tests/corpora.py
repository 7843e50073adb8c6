"""The corpora the tests read: the generated week always, the dev corpus when it is beside us.

`week()` writes the synthetic week (tests/synthetic/week.py, fixed seed) once per test process
into a temporary folder; `available()` adds `../shared/corpus/dev` when that checkout exists, so a
fresh clone runs every corpus test on the week alone and nothing is skipped for a missing corpus.
Tests take the `corpus` fixture (one run per corpus) or the `week_corpus` fixture (the week only:
counting and fault tests whose question does not depend on the material).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from tests.synthetic import week as synthetic

REPO = Path(__file__).resolve().parents[1]
DEV_CORPUS = REPO.parent / "shared" / "corpus" / "dev"


@functools.cache
def week() -> Path:
    """The generated week's folder (messages.jsonl, pages.warc.gz, truth.json)."""
    folder = Path(tempfile.mkdtemp(prefix="hub-week-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return synthetic.write(synthetic.generate(), folder)


def dev_present() -> bool:
    return all((DEV_CORPUS / name).is_file() for name in ("messages.jsonl", "pages.warc.gz", "truth.json"))


def available() -> dict[str, Path]:
    """Corpus name → folder: `week` always, `dev` when the shared checkout is beside the repo."""
    return {"week": week(), **({"dev": DEV_CORPUS} if dev_present() else {})}
