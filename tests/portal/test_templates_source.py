"""The templates' source: mistakes that render without an error but show on the page."""

from pathlib import Path

from django.conf import settings

TEMPLATE_DIRS = [Path(directory) for directory in settings.TEMPLATES[0]["DIRS"]]


def _lines():
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                yield path.relative_to(directory), number, line


def test_templates_are_found():
    assert sum(1 for _ in _lines()) > 1000


def test_every_short_comment_closes_on_its_own_line():
    # Django's {# … #} ends at the end of its line: the lines after an unclosed one are
    # shown to the reader as text. Longer comments are {% comment %} … {% endcomment %}.
    unclosed = [
        f"{path}:{number}" for path, number, line in _lines() if line.count("{#") > line.count("#}")
    ]
    assert unclosed == []
