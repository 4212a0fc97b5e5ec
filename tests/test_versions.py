"""Data versions: every released version ships, stays loadable and unchanged, and any tamper is detected."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

import rustcase
from rustcase import versions
from rustcase.changes import Span
from rustcase.models import TABLES

from .conftest import ROOT, clear_caches

sys.path.insert(0, str(ROOT / "tools"))
import build_data


def test_data_version_is_the_newest_shipped_and_the_curated_one() -> None:
    assert rustcase.DATA_VERSION == rustcase.available()[-1]
    assert (ROOT / "data" / "DATA_VERSION").read_text().strip() == rustcase.DATA_VERSION


@pytest.mark.parametrize("version", versions.available())
def test_every_shipped_version_verifies(version: str) -> None:
    assert rustcase.verify_version(version) == []
    manifest = versions.manifest(version)
    assert manifest["data_version"] == version
    assert manifest["fingerprint"] == versions.lock()[version]["fingerprint"]
    assert set(manifest["tables"]) == set(TABLES)


def test_every_version_directory_is_in_the_lock_file_and_the_changes_file() -> None:
    directories = sorted(p.name for p in versions.data_root().iterdir() if p.is_dir())
    assert directories == sorted(versions.available())
    history = json.loads((ROOT / "data" / "changes.json").read_text())
    assert [entry["version"] for entry in history] == versions.available()
    assert [entry["fingerprint"] for entry in history] == [
        versions.lock()[v]["fingerprint"] for v in versions.available()
    ]


@pytest.mark.parametrize(
    "request_, version",
    [("1", "1.0.0"), ("1.0", "1.0.0"), ("1.0.0", "1.0.0"), ("2", "2.0.0"), ("2.0.0", "2.0.0"), (None, "2.0.0")],
)
def test_a_version_request_resolves_to_an_exact_shipped_version(request_: str | None, version: str) -> None:
    assert versions.resolve(request_) == version


@pytest.mark.parametrize("request_", ["3", "0", "1.0.0.0", "1.00", "2.1", "latest", ""])
def test_an_unknown_version_is_an_error_listing_the_available_ones(request_: str) -> None:
    with pytest.raises(rustcase.UnknownVersionError, match=r"available: 1\.0\.0, 2\.0\.0"):
        rustcase.load(version=request_)


def test_data_1_0_0_still_loads_exactly_as_released() -> None:
    """A correction is a new version: 1.0.0 keeps its fingerprint and the records it was released with."""
    assert versions.lock()["1.0.0"]["fingerprint"] == FINGERPRINT_1_0_0
    old = rustcase.load(version="1.0.0")
    assert old.fingerprint == FINGERPRINT_1_0_0
    assert {t: len(getattr(old, t)) for t in TABLES} == ROWS_1_0_0
    assert old.quotes["quo-000-016"].speaker_id == "per-dave-halls" and "quo-003-026" in old.quotes
    assert rustcase.verify_version("1.0.0") == []


def test_every_change_of_2_0_0_has_an_erratum_with_verbatim_evidence() -> None:
    changes = rustcase.diff("1.0.0", "2.0.0")
    assert changes.bump() == "major" and changes.unexplained() == []
    texts = {a.article_id: a.text for a in rustcase.load_articles()}
    for erratum in changes.errata:
        assert erratum.version == "2.0.0" and erratum.reason.strip(), erratum.id
        assert all(texts[s.article_id][s.start : s.end] == s.text for s in erratum.evidence), erratum.id
    history = json.loads((ROOT / "data" / "changes.json").read_text(encoding="utf-8"))
    assert (
        history[-1]["errata"]
        == [e.to_dict() for e in changes.errata]
        == versions.manifest("2.0.0")["changes"]["errata"]
    )


def test_load_pins_by_fingerprint() -> None:
    fingerprint = versions.lock()["1.0.0"]["fingerprint"]
    assert rustcase.load(fingerprint=fingerprint).version == "1.0.0"
    assert rustcase.load(version="1", fingerprint=fingerprint).fingerprint == fingerprint
    with pytest.raises(rustcase.UnknownVersionError, match="no data version has fingerprint"):
        rustcase.load(fingerprint="sha256:" + "0" * 64)


SHIPPED = versions.available()
LATEST = SHIPPED[-1]
MINOR, NEXT_MINOR, PATCH, MAJOR = (
    f"{LATEST.split('.')[0]}.1.0",
    f"{LATEST.split('.')[0]}.2.0",
    f"{LATEST.split('.')[0]}.1.1",
    f"{int(LATEST.split('.')[0]) + 1}.0.0",
)
FINGERPRINT_1_0_0 = "sha256:ff14091c9564fe9efb0ec316b5e91445e36ba8aa2edd815d59cce57d69217de6"
ROWS_1_0_0 = {
    "articles": 5,
    "people": 20,
    "organizations": 5,
    "places": 3,
    "works": 3,
    "quotes": 176,
    "utterances": 56,
    "events": 39,
    "claims": 23,
    "mentions": 228,
}


def _release(curated: Path, version: str, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Build data version ``version`` from ``curated`` into the data directory ``data``."""
    version_file = curated.parent / "DATA_VERSION"
    version_file.write_text(version + "\n")
    monkeypatch.setattr(build_data, "CURATED", curated)
    monkeypatch.setattr(build_data, "VERSION_FILE", version_file)
    monkeypatch.setattr(build_data, "DATA", data)
    monkeypatch.setattr(build_data, "ROOT", curated.parent)
    for path, content in build_data.outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    clear_caches()


@pytest.fixture
def curated(tmp_path: Path) -> Path:
    copy = tmp_path / "repo" / "curated"
    shutil.copytree(ROOT / "data" / "curated", copy)
    return copy


def _add_mention(curated: Path) -> str:
    """Add one mention at the end of article 004: a MINOR change."""
    text = (ROOT / "data" / "sources" / "004_3895aaea98e54197.txt").read_text(encoding="utf-8")
    start = text.rindex("Halyna")
    with (curated / "mentions.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "- mention_id: men-004-9999\n  article_id: art-004\n  entity_id: per-halyna-hutchins\n"
            f"  mention_type: name\n  start: {start}\n  end: {start + 6}\n  text: Halyna\n"
        )
    return "men-004-9999"


HALYNA = {"article_id": "art-004", "start": 3442, "end": 3448, "text": "Halyna"}


def _erratum(curated: Path, version: str, *entries: dict[str, object]) -> None:
    """Write the errata file of ``version``: each entry's defaults are a mention added at the end of article 004."""
    defaults = {"table": "mentions", "id": "men-004-9999", "change": "added", "reason": "A name was missed."}
    rows = [{**defaults, "evidence": [HALYNA], **entry} for entry in entries]
    path = curated.parent / "errata" / f"{version}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(rows), encoding="utf-8")


def test_a_newer_release_returns_identical_records_for_a_pinned_version(
    data_root: Path, curated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {v: {t: rustcase.load_table(t, v) for t in TABLES} for v in SHIPPED}
    fingerprint = rustcase.load(version=LATEST).fingerprint
    added = _add_mention(curated)
    _erratum(curated, MINOR, {})
    _release(curated, MINOR, data_root, monkeypatch)

    assert rustcase.available() == [*SHIPPED, MINOR]
    assert rustcase.load().version == rustcase.load(version=MINOR[0]).version == MINOR
    for version in SHIPPED:
        pinned = rustcase.load(version=version)
        assert {t: getattr(pinned, t).records for t in TABLES} == before[version]
        assert rustcase.verify_version(version) == []
    assert rustcase.load(fingerprint=fingerprint).version == LATEST
    assert rustcase.verify_version(MINOR) == []
    changes = rustcase.diff(LATEST, MINOR)
    assert changes.bump() == "minor"
    assert changes.to_dict()["tables"] == {"mentions": {"added": [added], "removed": [], "changed": {}}}
    (why,) = changes.erratum("mentions", added)
    assert (why.version, why.change, why.reason, why.evidence) == (
        MINOR,
        "added",
        "A name was missed.",
        (Span(**HALYNA),),
    )
    history = json.loads((curated.parent / "data" / "changes.json").read_text())
    assert [entry["version"] for entry in history] == [*SHIPPED, MINOR]
    assert history[-1] == {"version": MINOR, "fingerprint": rustcase.load().fingerprint, **changes.to_dict()}


def test_curated_changes_need_a_new_version(data_root: Path, curated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _add_mention(curated)
    with pytest.raises(build_data.BuildError, match=f"differs from the released data version {re.escape(LATEST)}"):
        _release(curated, LATEST, data_root, monkeypatch)


def test_a_changed_record_needs_a_major_version(
    data_root: Path, curated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = curated / "people.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Armorer on Rust.", "The armorer of Rust."))
    why = {"table": "people", "id": "per-hannah-gutierrez-reed", "change": "changed"}
    _erratum(curated, MINOR, why)
    with pytest.raises(build_data.BuildError, match="need a major version"):
        _release(curated, MINOR, data_root, monkeypatch)
    (curated.parent / "errata" / f"{MINOR}.yaml").rename(curated.parent / "errata" / f"{MAJOR}.yaml")
    _release(curated, MAJOR, data_root, monkeypatch)
    assert rustcase.diff(LATEST, MAJOR).tables["people"].changed == {"per-hannah-gutierrez-reed": ("description",)}


ERRATA_FAULTS = {
    "a change without an erratum": ([], r"men-004-9999: added, but no erratum says why"),
    "an erratum of the wrong kind": ([{"change": "changed"}], r"men-004-9999: added, but no erratum"),
    "an erratum for an unchanged record": (
        [{}, {"id": "men-004-0001"}],
        r"men-004-0001: an erratum says added, but the record was not added",
    ),
    "evidence that is not the article's text": (
        [{"evidence": [{**HALYNA, "text": "Halyna."}]}],
        r"evidence 'Halyna\.' is not the text of art-004 at 3442:3448",
    ),
    "evidence shifted by one": (
        [{"evidence": [{**HALYNA, "start": 3441, "end": 3447}]}],
        r"evidence 'Halyna' is not the text of art-004 at 3441:3447",
    ),
    "evidence in an unknown article": ([{"evidence": [{**HALYNA, "article_id": "art-009"}]}], "art-009"),
    "evidence missing": ([{"evidence": []}], "evidence must be a non-empty list"),
    "no reason": ([{"reason": " "}], "reason must be non-empty"),
    "an unknown field": ([{"fixed_by": "me"}], "expected the keys"),
}


@pytest.mark.parametrize("entries, message", ERRATA_FAULTS.values(), ids=ERRATA_FAULTS)
def test_the_build_refuses_errata_that_do_not_explain_the_changes_exactly(
    data_root: Path, curated: Path, monkeypatch: pytest.MonkeyPatch, entries: list[dict[str, object]], message: str
) -> None:
    _add_mention(curated)
    _erratum(curated, MINOR, *entries)
    if not entries:
        (curated.parent / "errata" / f"{MINOR}.yaml").unlink()
    with pytest.raises(build_data.BuildError, match=message):
        _release(curated, MINOR, data_root, monkeypatch)


def test_released_errata_never_change(data_root: Path, curated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _add_mention(curated)
    _erratum(curated, MINOR, {})
    _release(curated, MINOR, data_root, monkeypatch)
    _erratum(curated, MINOR, {"reason": "Rewritten after the release."})
    with pytest.raises(build_data.BuildError, match="differs from the errata released with " + re.escape(MINOR)):
        _release(curated, MINOR, data_root, monkeypatch)
    _erratum(curated, MINOR, {})
    _erratum(curated, NEXT_MINOR, {})
    with pytest.raises(build_data.BuildError, match="neither released nor the version being built"):
        _release(curated, PATCH, data_root, monkeypatch)


def test_diff_shows_why_each_record_changed(data_root: Path, curated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from rustcase.cli import main

    _add_mention(curated)
    _erratum(curated, MINOR, {})
    _release(curated, MINOR, data_root, monkeypatch)
    result = CliRunner().invoke(main, ["diff", LATEST, MINOR])
    assert result.exit_code == 0, result.output
    assert (
        f"  + men-004-9999\n      why ({MINOR}): A name was missed.\n        art-004 3442:3448 'Halyna'\n"
        in result.output
    )
    as_json = json.loads(CliRunner().invoke(main, ["diff", LATEST, MINOR, "--json"]).output)
    (entry,) = yaml.safe_load((curated.parent / "errata" / f"{MINOR}.yaml").read_text(encoding="utf-8"))
    assert as_json["errata"] == [{"version": MINOR, **entry}]


def test_diff_of_a_version_with_itself_says_no_changes() -> None:
    from click.testing import CliRunner

    from rustcase.cli import main

    for version in rustcase.available():
        result = CliRunner().invoke(main, ["diff", version, version.split(".")[0]])
        assert result.exit_code == 0 and result.output.endswith(": no changes\n"), result.output
