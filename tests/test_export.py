"""claimtrack.export: every export read back by the tool it is for, the CSV round trip through
``import csv``, formula cells neutralised, broken rows reported one by one."""

from __future__ import annotations

import csv
import io
import json
import pickle
import sys
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimtrack
from claimtrack.cli import main
from claimtrack.export import CSV_COLUMNS, EXPORT_FORMATS, ExportError, export, import_csv
from claimtrack.project import init_project

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini"
FIXTURES = [HERE / "data" / "mini", HERE / "data" / "report"]
LOADED = {path: claimtrack.load(path) for path in FIXTURES}
FORMULA = '=HYPERLINK("https://evil.example/","click")'


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in argv], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def only(claims: claimtrack.ClaimSet, kept: list[claimtrack.Claim]) -> claimtrack.ClaimSet:
    """``kept`` with the sources they come from (a CSV carries only those)."""
    used = {c.source for c in kept}
    return attrs.evolve(
        claims, claims=kept, sources={s: claims.sources[s] for s in claims.sources if s in used}
    )


def round_trip(claims: claimtrack.ClaimSet, registries: Path, folder: Path) -> claimtrack.ClaimSet:
    export(claims, folder / "claims.csv", format="csv")
    init_project(folder / "project", seed_from=registries)
    import_csv(folder / "claims.csv", folder / "project")
    return claimtrack.load(folder / "project")


# --- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_csv_export_then_import_gives_equal_claims(fixture: Path, tmp_path: Path) -> None:
    assert LOADED[fixture] == round_trip(LOADED[fixture], fixture, tmp_path)


_TEXT = st.text(
    st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\u2028\u2029"),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip() == t and t != "")
_HOSTILE = st.builds(
    lambda lead, body: lead + body, st.sampled_from(["", "=", "+", "-", "@", "'", "''"]), _TEXT
)


@given(
    fixture=st.sampled_from(FIXTURES),
    data=st.data(),
)
def test_csv_round_trip_of_any_selection_with_hostile_text(
    fixture: Path, data: st.DataObject
) -> None:
    """Any subset of the fixture claims, with quotes and notes that a spreadsheet would run as
    formulas or that hold commas, quotes and any script, comes back equal."""
    claims = LOADED[fixture]
    kept = data.draw(st.lists(st.sampled_from(list(claims)), min_size=1, unique_by=lambda c: c.id))
    changed = [
        attrs.evolve(
            c,
            quote=data.draw(_HOSTILE, label="quote"),
            notes=data.draw(st.none() | _HOSTILE, label="notes"),
        )
        for c in kept
    ]
    expected = only(claims, changed)
    with tempfile.TemporaryDirectory() as folder:
        assert expected == round_trip(expected, fixture, Path(folder))


def test_csv_columns_are_the_documented_ones(tmp_path: Path) -> None:
    export(LOADED[MINI], tmp_path / "c.csv", format="csv")
    with (tmp_path / "c.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(CSV_COLUMNS) == list(rows[0])
    assert len(LOADED[MINI]) == len(rows)
    docs = (HERE.parent / "docs" / "your-own-project.md").read_text(encoding="utf-8")
    assert all(f"`{column}`" in docs for column in CSV_COLUMNS)


def test_formula_cells_are_neutralised_in_csv_and_xlsx(tmp_path: Path) -> None:
    claims = LOADED[MINI]
    first = attrs.evolve(claims.claims[0], quote=FORMULA, notes="@SUM(A1:A9)")
    hostile = attrs.evolve(claims, claims=[first, *claims.claims[1:]])
    export(hostile, tmp_path / "c.csv", format="csv")
    with (tmp_path / "c.csv").open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert ("'" + FORMULA, "'@SUM(A1:A9)") == (row["quote"], row["notes"])

    from openpyxl import load_workbook

    export(hostile, tmp_path / "c.xlsx", format="xlsx")
    sheet = load_workbook(tmp_path / "c.xlsx")["claims"]
    header = [cell.value for cell in sheet[1]]
    quote = sheet.cell(row=2, column=header.index("quote") + 1)
    assert ("'" + FORMULA, "s") == (quote.value, quote.data_type)


def test_xlsx_holds_the_csv_columns_with_numbers_as_numbers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    claims = LOADED[HERE / "data" / "report"]
    export(claims, tmp_path / "c.xlsx", format="xlsx")
    rows = list(load_workbook(tmp_path / "c.xlsx")["claims"].iter_rows(values_only=True))
    assert list(CSV_COLUMNS) == list(rows[0])
    assert len(claims) == len(rows) - 1
    low = list(CSV_COLUMNS).index("low")
    assert any(isinstance(r[low], int | float) for r in rows[1:])


@pytest.mark.parametrize(("format", "module"), [("xlsx", "openpyxl"), ("prov", "prov.model")])
def test_a_missing_extra_is_a_clear_error(
    format: str, module: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(claimtrack.MissingExtraError, match=rf"claimtrack\[{format}\]"):
        export(LOADED[MINI], tmp_path / "out", format=format)


# --- import: broken input ----------------------------------------------------------------------


def _csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def test_broken_rows_give_one_error_each_with_its_line(tmp_path: Path) -> None:
    export(LOADED[MINI], tmp_path / "good.csv", format="csv")
    with (tmp_path / "good.csv").open(encoding="utf-8", newline="") as handle:
        good = list(csv.DictReader(handle))
    rows = [
        {**good[0], "kind": "quantiy"},
        {**good[1], "subject": "zhanaozen-protest-dayz"},
        {**good[0], "claim": "fine-one"},
        {**good[0], "claim": "x", "low": "lots", "high": "many"},
        {**good[0], "claim": "y", "claimant": "nobody", "quote": FORMULA},
        {**good[0], "claim": "Bad Id"},
        {**good[0], "claim": "fine-one"},
        {**good[0], "claim": "z", "source_text_file": "../../etc/passwd"},
    ]
    text = _csv(rows) + "a,b,c\n"
    (tmp_path / "bad.csv").write_text(text, encoding="utf-8")
    init_project(tmp_path / "project", seed_from=MINI)
    with pytest.raises(claimtrack.ValidationError) as info:
        import_csv(tmp_path / "bad.csv", tmp_path / "project")
    found = [(e.line, e.field) for e in info.value.errors]
    assert [
        (2, "kind"),
        (3, "subject"),
        (5, "low"),
        (6, "claimant"),
        (7, "claim"),
        (8, "claim"),
        (9, "source_text_file"),
        (10, ""),
    ] == found
    messages = [e.message for e in info.value.errors]
    assert (
        "unknown subject 'zhanaozen-protest-dayz' (did you mean 'zhanaozen-protest-days'"
        in messages[1]
    )
    assert "duplicate claim id 'fine-one' (first at line 4)" == messages[5]
    assert "'../../etc/passwd' is not a plain file name" == messages[6]
    assert "the row has 3 cells, the header 36" == messages[7]
    assert [] == list((tmp_path / "project").glob("*-*.yaml"))  # nothing written

    status, _out, err = run("import", "csv", tmp_path / "bad.csv", "--into", tmp_path / "project")
    assert 1 == status
    assert f"{tmp_path / 'bad.csv'}:2: kind: unknown kind 'quantiy'" in err


def test_a_csv_with_unknown_columns_or_not_text_is_refused(tmp_path: Path) -> None:
    init_project(tmp_path / "project", seed_from=MINI)
    (tmp_path / "cols.csv").write_text("claim,sourse\n", encoding="utf-8")
    with pytest.raises(
        claimtrack.ValidationError,
        match=r"cols.csv:1: sourse: unknown column \(did you mean 'source'",
    ):
        import_csv(tmp_path / "cols.csv", tmp_path / "project")
    (tmp_path / "bin.csv").write_bytes(b"claim\x00,source\n")
    with pytest.raises(claimtrack.ValidationError, match="NUL bytes"):
        import_csv(tmp_path / "bin.csv", tmp_path / "project")


def test_a_spreadsheet_row_may_give_the_phrase_only(tmp_path: Path) -> None:
    """Contributors write the value as a phrase; the bounds are read from it as in claim files."""
    export(LOADED[MINI], tmp_path / "good.csv", format="csv")
    with (tmp_path / "good.csv").open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    row = {**row, "low": "", "high": "", "value": "", "hedge": "", "text": "as many as 2 million"}
    (tmp_path / "one.csv").write_text(_csv([row]), encoding="utf-8")
    init_project(tmp_path / "project", seed_from=MINI)
    import_csv(tmp_path / "one.csv", tmp_path / "project")
    claim = claimtrack.load(tmp_path / "project")[row["claim"]]
    assert (None, 2_000_000) == (claim.value.low, claim.value.high)


def test_import_refuses_sources_already_in_the_project(tmp_path: Path) -> None:
    export(LOADED[MINI], tmp_path / "c.csv", format="csv")
    init_project(tmp_path / "project", seed_from=MINI)
    import_csv(tmp_path / "c.csv", tmp_path / "project")
    with pytest.raises(claimtrack.ClaimtrackError, match="already in"):
        import_csv(tmp_path / "c.csv", tmp_path / "project")


# --- the other formats, read back --------------------------------------------------------------


def test_prov_json_reads_back_with_prov(tmp_path: Path) -> None:
    from prov.model import ProvDocument

    claims = LOADED[HERE / "data" / "report"]
    export(claims, tmp_path / "c.json", format="prov")
    doc = ProvDocument.deserialize(
        content=(tmp_path / "c.json").read_text(encoding="utf-8"), format="json"
    )
    entities = {str(r.identifier) for r in doc.get_records() if r.get_type().localpart == "Entity"}
    assert {f"claim:{c.id}" for c in claims} | {f"source:{s}" for s in claims.sources} == entities
    quoted = [r for r in doc.get_records() if r.get_type().localpart == "Derivation"]
    assert len(claims) == len(quoted)


def test_claimreview_json_ld_expands_without_fetching_anything(tmp_path: Path) -> None:
    from pyld import jsonld

    def refuse(url: str, options: object = None) -> None:
        raise AssertionError(f"the export made the JSON-LD processor fetch {url}")

    claims = LOADED[HERE / "data" / "report"]
    export(claims, tmp_path / "c.jsonld", format="claimreview")
    doc = json.loads((tmp_path / "c.jsonld").read_text(encoding="utf-8"))
    expanded = jsonld.expand(doc, {"documentLoader": refuse})
    schema = "https://schema.org/"
    found = {n["@id"]: n for n in expanded if f"{schema}Claim" in n["@type"]}
    assert len(claims) == len(found)
    quantity = next(
        c for c in claims if c.kind is claimtrack.SubjectKind.QUANTITY and c.value.low is not None
    )
    node = found[f"urn:claimtrack:claim:{quantity.id}"]
    value = node[f"{schema}value"][0]
    assert [f"{schema}QuantitativeValue"] == value["@type"]
    assert quantity.value.low == value[f"{schema}minValue"][0]["@value"]
    assert quantity.quote == node[f"{schema}text"][0]["@value"]


def test_datapackage_is_a_valid_tabular_data_package(tmp_path: Path) -> None:
    """The descriptor's structure, checked against the Data Package and Table Schema specs: every
    resource's CSV has its schema's fields in order, values cast to their types, primary keys are
    unique and foreign keys resolve. (frictionless itself is too heavy a test dependency; it
    validates this package too: see docs/your-own-project.md.)"""
    claims = LOADED[HERE / "data" / "report"]
    folder = tmp_path / "package"
    written = export(claims, folder, format="datapackage")
    assert {"datapackage.json", "claims.csv", "sources.csv", "subjects.csv", "entities.csv"} == {
        p.name for p in written
    }
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert "tabular-data-package" == descriptor["profile"]
    assert descriptor["name"] == descriptor["name"].lower()
    tables: dict[str, list[dict[str, str]]] = {}
    for resource in descriptor["resources"]:
        assert {"name", "path", "schema", "profile"} <= set(resource)
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == reader.fieldnames
        for field in fields:
            assert field["type"] in {"string", "number", "integer", "boolean"}
            for row in rows:
                cell = row[field["name"]]
                if cell in resource["schema"]["missingValues"]:
                    continue
                {
                    "number": float,
                    "integer": int,
                    "boolean": lambda v: {"true": 1, "false": 0}[v],
                    "string": str,
                }[field["type"]](cell)
        key = resource["schema"]["primaryKey"]
        assert len(rows) == len({tuple(r[k] for k in key) for r in rows})
        tables[resource["name"]] = rows
    assert len(claims) == len(tables["claims"])
    for resource in descriptor["resources"]:
        for fk in resource["schema"]["foreignKeys"]:
            targets = {r[fk["reference"]["fields"][0]] for r in tables[fk["reference"]["resource"]]}
            values = {r[fk["fields"][0]] for r in tables[resource["name"]]}
            assert values <= targets, (resource["name"], fk)


# --- the front door and the CLI ----------------------------------------------------------------


@pytest.mark.parametrize("format", EXPORT_FORMATS)
def test_every_format_through_the_cli(format: str, tmp_path: Path) -> None:
    status, out, err = run("export", MINI, "--format", format, "-o", tmp_path / "out")
    assert (0, "") == (status, err)
    assert f"wrote {len(LOADED[MINI])} claims to" in out
    assert [] == [p for p in tmp_path.rglob("*.tmp")]


def test_export_to_an_impossible_place_is_one_line(tmp_path: Path) -> None:
    status, _out, err = run("export", MINI, "--format", "csv", "-o", tmp_path / "no" / "such.csv")
    assert 1 == status and "no folder" in err and 1 == len(err.splitlines())
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="is a file"):
        export(LOADED[MINI], tmp_path / "file", format="datapackage")
    with pytest.raises(ExportError, match="unknown format"):
        export(LOADED[MINI], tmp_path / "x", format="pdf")


def test_export_error_pickles() -> None:
    error = ExportError("out.csv", "cannot write it")
    assert str(error) == str(pickle.loads(pickle.dumps(error)))
