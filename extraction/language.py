"""Which language an ad is written in: the page's own `lang` tag, else a guess from its text.

The guess uses py3langid, loaded on first use; very short texts get no guess, because a
classifier's answer on a few words is noise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

_LANG_TAG = re.compile(r"^([a-zA-Z]{2})(?:[-_].*)?$")
_MIN_TEXT_FOR_LANGID = 20


def language_of_tag(declared: str | None) -> str | None:
    """The two-letter language of a `lang` attribute ("nl-BE" → "nl"), or None."""
    match = _LANG_TAG.match((declared or "").strip())
    return match.group(1).lower() if match else None


def guess_language(body: str) -> str | None:
    """The language py3langid reads in `body`, or None when the text is too short to tell."""
    if len(body) < _MIN_TEXT_FOR_LANGID:
        return None
    return str(_language_classifier()(body)[0])


@cache
def _language_classifier() -> Callable[[str], tuple[str, float]]:
    # Imported on first use: loading the model is the expensive part of py3langid.
    import py3langid

    classify: Callable[[str], tuple[str, float]] = py3langid.classify
    return classify
