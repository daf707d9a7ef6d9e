"""CVs from a CSV/XLSX export: one row per candidate, an id and the CV text or a file path."""

from __future__ import annotations

import csv
import itertools

import pytest
from conftest import DATA
from toy_encoder import ToyEncoder

import matcher
from matcher.errors import EmptyInputError, InputError
from matcher.features.tabular import load_cv_table

NOTICE = DATA / "vacancies" / "osce-associate-procurement-officer-SEC000847.txt"


@pytest.fixture(scope="module")
def export(eval_dir, tmp_path_factory):
    """A CSV export of 20 real resumes, as an applicant-tracking system would give it."""
    source = eval_dir / "resumes" / "livecareer_resumes_2484.csv"
    csv.field_size_limit(10**8)
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(itertools.islice(csv.DictReader(fh), 20))
    out = tmp_path_factory.mktemp("export") / "applicants.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["ID", "Category", "Resume_str"])
        writer.writeheader()
        writer.writerows({k: r[k] for k in ("ID", "Category", "Resume_str")} for r in rows)
    return out, [r["ID"] for r in rows]


def test_csv_export_of_20_real_resumes_ranks(export):
    path, ids = export
    cvs = matcher.load_cvs(path)
    assert not cvs.failures
    assert [p.id for p in cvs.profiles] == ids
    assert all(p.source.startswith(f"{path}, line ") for p in cvs.profiles)
    assert sum(1 for p in cvs.profiles if p.positions) >= 15  # real resumes have dated jobs
    ranking = matcher.Matcher(encoder=ToyEncoder()).rank(NOTICE, cvs)
    assert sorted(ranking.candidate_id) == sorted(ids)
    assert (ranking.eligibility != "error").all()
    assert ranking.score.between(0, 1).all()


def test_path_column_reads_the_files(tmp_path):
    files = [DATA / "cvs" / "sec847_procurement_weak.txt", DATA / "cvs" / "jpo_legal_llm.md"]
    table = tmp_path / "pool.csv"
    rows = [f"c{i},{p}" for i, p in enumerate(files)] + ["c9,missing.pdf"]
    table.write_text("candidate_id,file\n" + "\n".join(rows) + "\n")
    cvs = load_cv_table(table)
    assert [p.id for p in cvs.profiles] == ["c0", "c1"]
    assert len(cvs.failures) == 1 and "line 4" in cvs.failures[0].message
    assert "no such CV file" in cvs.failures[0].message


def test_xlsx_export(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    text = (DATA / "cvs" / "sec847_procurement_strong.md").read_text(encoding="utf-8")
    path = tmp_path / "pool.xlsx"
    pd.DataFrame({"Applicant ID": ["a-1"], "CV text": [text]}).to_excel(path, index=False)
    cvs = load_cv_table(path, id_column="Applicant ID", text_column="CV text")
    assert [p.id for p in cvs.profiles] == ["a-1"] and cvs.profiles[0].positions


def test_table_problems_name_the_file_and_line(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(EmptyInputError, match="empty.csv"):
        load_cv_table(empty)
    unnamed = tmp_path / "unnamed.csv"
    unnamed.write_text("who,what\na,b\n")
    with pytest.raises(InputError, match="the columns are: who, what.*--id-column"):
        load_cv_table(unnamed)
    dup = tmp_path / "dup.csv"
    dup.write_text("id,text\na,Project officer 2015-2019\na,Another CV\nb,\n")
    cvs = load_cv_table(dup)
    assert [p.id for p in cvs.profiles] == ["a"]
    messages = [f.message for f in cvs.failures]
    assert any("line 3" in m and "already used on line 2" in m for m in messages)
    assert any("line 4" in m and "empty" in m for m in messages)
