"""Static URLs: the manifest's hashed names, each worked out once per process."""

import json

import pytest

from mindscape.staticstorage import StaticStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.STATIC_URL = "/static/"
    manifest = {"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticStorage(location=str(tmp_path))


def test_the_hashed_name_is_looked_up_once(storage, monkeypatch, settings):
    settings.DEBUG = False
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    looked_up = []
    monkeypatch.setattr(storage, "stored_name", lambda name: looked_up.append(name))
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    assert not looked_up


def test_a_file_missing_from_the_manifest_is_still_refused(storage, settings):
    settings.DEBUG = False
    for _ in range(2):  # a refusal is never kept as an answer
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")


def test_nothing_is_kept_while_debugging(storage, settings):
    settings.DEBUG = True
    assert storage.url("css/site.css") == "/static/css/site.css"
    settings.DEBUG = False
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
