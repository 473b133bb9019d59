"""Loading from modified copies of the data files (in a tmp dir): a sheet that does not add up is loaded as
invalid with a clear report; a malformed one, or one whose write fails half-way, leaves nothing behind."""

import json
import shutil

import pytest

from ocop.evaluation.loading import load_criteria
from ocop.evaluation.models import CriteriaSheet, Criterion, CriterionOption
from ocop.registry.classification import criteria_dir

pytestmark = pytest.mark.django_db

VERSION = "26_2026"


@pytest.fixture
def data_copy(tmp_path):
    """A criteria folder holding only the first three 2026 sheets."""
    source = criteria_dir() / VERSION
    target = tmp_path / VERSION
    (target / "sheets").mkdir(parents=True)
    index = json.loads((source / "index.json").read_text(encoding="utf-8"))
    index["product_sets"] = index["product_sets"][:3]
    (target / "index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    for entry in index["product_sets"]:
        shutil.copy(source / entry["file"], target / entry["file"])
    return tmp_path, [target / e["file"] for e in index["product_sets"]]


def _edit(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_sheet_that_does_not_add_up_is_loaded_invalid_with_a_clear_report(data_copy):
    # given sheet 2 with criterion 1.1 raised by 2 points: Part A 42, total 102
    root, files = data_copy
    _edit(files[1], lambda d: d["parts"][0]["sections"][0]["criteria"][0].update(max_points=5))
    # when
    report = load_criteria([VERSION], root=root)
    # then
    bad = report.get(VERSION, "2")
    assert not bad.is_valid
    assert {"part_sum", "section_sum", "sheet_total"} <= {i.code for i in bad.errors}
    assert any("102" in line for line in report.lines())
    assert [s.is_valid for s in report.sheets] == [True, False, True]
    sheet = CriteriaSheet.objects.get(version__code=VERSION, product_set__code="2")
    assert not sheet.is_valid and sheet.max_points == 102 and "102" in sheet.load_report
    assert sheet.criteria.count() == 31


def test_a_malformed_sheet_is_reported_and_nothing_of_it_is_written(data_copy):
    root, files = data_copy
    _edit(files[1], lambda d: d["parts"][2]["sections"][-1]["criteria"][-1]["options"][0].update(points="ba"))
    report = load_criteria([VERSION], root=root)
    bad = report.get(VERSION, "2")
    assert bad.status == "rejected" and [i.code for i in bad.errors] == ["format"]
    assert not CriteriaSheet.objects.filter(version__code=VERSION, product_set__code="2").exists()
    assert CriteriaSheet.objects.filter(version__code=VERSION).count() == 2


def test_a_write_failing_half_way_leaves_nothing_of_that_sheet(data_copy, monkeypatch):
    root, files = data_copy
    real = CriterionOption.objects.bulk_create
    calls = []

    def failing(objs, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(CriterionOption.objects, "bulk_create", failing)
    with pytest.raises(RuntimeError):
        load_criteria([VERSION], root=root)
    # sheet 1 committed in its own savepoint; sheet 2 left nothing (no sheet, part, criterion)
    assert list(CriteriaSheet.objects.filter(version__code=VERSION).values_list("product_set__code", flat=True)) == [
        "1"
    ]
    assert not Criterion.objects.filter(sheet__product_set__code="2", sheet__version__code=VERSION).exists()


def test_a_changed_source_replaces_an_uncorrected_sheet(data_copy):
    root, files = data_copy
    load_criteria([VERSION], root=root)
    _edit(files[0], lambda d: d["parts"][0]["sections"][0]["criteria"][0].update(text="Nguồn gốc (sửa)"))
    report = load_criteria([VERSION], root=root)
    assert [s.status for s in report.sheets] == ["replaced", "unchanged", "unchanged"]
    assert Criterion.objects.filter(sheet__version__code=VERSION, text="Nguồn gốc (sửa)").count() == 1
