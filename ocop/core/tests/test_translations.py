"""Every catalogue is complete: an English msgstr for every (Vietnamese) msgid, nothing fuzzy."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/en/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-4])
def test_english_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert not missing, f"untranslated in {path}: {missing[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"


def test_english_is_served_from_compiled_catalogues():
    with translation.override("en"):
        assert translation.gettext("Không tìm thấy.") == "Not found."
    with translation.override("vi"):
        assert translation.gettext("Không tìm thấy.") == "Không tìm thấy."
