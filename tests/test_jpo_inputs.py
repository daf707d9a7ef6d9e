"""JPO inputs that work together: the preferences format, the programme sample, vacant openings,
and allocation errors that name the file, the line and the fix."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import DATA
from toy_encoder import ToyEncoder

import matcher
from matcher.batch import NO_REQUIREMENTS, no_requirements_stated
from matcher.cli import main
from matcher.features.requirements import ProgrammeRequirements

BROCHURE = DATA / "vacancies" / "osce-jpo-2024-2026-secretariat-openings.txt"
JPO = DATA / "jpo"


def _allocate(capsys, *argv):
    code = main(["allocate", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_shipped_sample_preferences_use_the_one_format(capsys):
    openings = {o.id for o in matcher.load_vacancies(BROCHURE)}
    prefs = pd.read_csv(DATA / "cvs" / "jpo_preferences.csv", dtype=str)
    assert list(prefs.columns) == ["candidate_id", "choice_1", "choice_2", "choice_3"]
    assert set(prefs[["choice_1", "choice_2", "choice_3"]].stack()) <= openings
    # every sample candidate is a CV of data/cvs
    assert set(prefs.candidate_id) <= {p.stem for p in (DATA / "cvs").iterdir()}
    # and allocate takes it, with a fit table over the brochure's openings
    ids = sorted(openings)
    fit = pd.DataFrame(0.5, index=prefs.candidate_id, columns=ids)
    alloc = matcher.allocate(prefs, fit)
    assert alloc.profile["unplaced"] == 0 and not alloc.check_validity()
    assert len(alloc.vacant) == len(ids) - len(prefs)


def test_allocate_lists_vacant_openings(capsys, tmp_path):
    prefs = tmp_path / "p.csv"
    prefs.write_text("candidate_id,choice_1\nA,JPO-01\n")
    fit = tmp_path / "f.csv"
    fit.write_text("candidate_id,JPO-01,JPO-02,JPO-03\nA,0.5,0.4,0.3\n")
    code, out, _ = _allocate(capsys, "--preferences", prefs, "--fit", fit)
    assert code == 0 and "vacant: 2 of 3 openings left empty: JPO-02, JPO-03" in out
    code, out, _ = _allocate(capsys, "--preferences", prefs, "--fit", fit, "--json")
    assert '"vacant"' in out


@pytest.mark.parametrize(
    ("prefs", "fit", "expected"),
    [
        ("", None, ["p.csv: the preferences file is empty", "candidate_id,choice_1"]),
        ("candidate_id,choice_1,choice_2\nA,JPO-01,JPO-02\nB,JPO-01,JPO-02,JPO-03\n", None,
         ["p.csv: line 3 has 4 fields where the header has 3"]),
        ("candidate_id,choice_1\nA,CPC\n", None,
         ["unknown id 'CPC'", "if it is an area, pass the areas table (matcher allocate --areas"]),
        ("candidate_id,choice_1\nA,6\n", None, ["not numbers", "JPO-01"]),
        ("candidate_id,choice_1\nA,JPO-01\n", "candidate_id,JPO-01\nA,1.5\n",
         ["1 problem(s) in fit (", "f.csv: fit has 1 value(s) outside [0, 1]"]),
    ],
)  # fmt: skip
def test_allocation_errors_name_the_file_line_and_fix(capsys, tmp_path, prefs, fit, expected):
    p = tmp_path / "p.csv"
    p.write_text(prefs)
    f = tmp_path / "f.csv"
    f.write_text(fit or "candidate_id,JPO-01,JPO-02\nA,0.5,0.4\nB,0.3,0.2\n")
    code, _, err = _allocate(capsys, "--preferences", p, "--fit", f)
    assert code == 1
    for words in expected:
        assert words in err, err
    assert "problem(s) in preferences" not in err or "fit has" not in err


def test_duplicate_choice_is_reported_once(capsys, tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("candidate_id,choice_1,choice_2,choice_3\nA,JPO-01,jpo-01,JPO-01\n")
    f = tmp_path / "f.csv"
    f.write_text("candidate_id,JPO-01,JPO-02\nA,0.5,0.4\n")
    code, _, err = _allocate(capsys, "--preferences", p, "--fit", f)
    assert code == 1 and err.count("listed more than once") == 1, err


def test_pool_of_jpo_openings_with_and_without_programme():
    openings = matcher.load_vacancies(BROCHURE)[:3]
    cvs = matcher.load_cvs(sorted((DATA / "cvs").glob("jpo_*.txt"))[:4])
    m = matcher.Matcher(encoder=ToyEncoder())
    bare = no_requirements_stated(matcher.rank_pool(m, list(openings), cvs, progress=False))
    assert (bare.eligibility == "unknown").all()
    assert (bare.unknown_checks == NO_REQUIREMENTS).all()
    programme = ProgrammeRequirements.from_text((JPO / "programme.txt").read_text())
    checked = no_requirements_stated(
        matcher.rank_pool(m, list(programme.apply(openings)), cvs, progress=False)
    )
    assert set(checked.eligibility) & {"eligible", "ineligible"}  # real verdicts
    assert not (checked.unknown_checks == NO_REQUIREMENTS).any()
    assert checked.failed_checks.str.contains("education|experience|language").any()


@pytest.fixture()
def toy_matcher(monkeypatch, tmp_path):
    import matcher.scoring.matcher as scoring

    class ToyMatcher(scoring.Matcher):
        def __init__(self, encoder=None, config=None):
            super().__init__(encoder or ToyEncoder(), config)

    monkeypatch.setattr(scoring, "Matcher", ToyMatcher)
    monkeypatch.setenv("MATCHER_CACHE_DIR", str(tmp_path / "cache"))


def test_cli_pool_jpo_says_no_requirements_stated_until_the_programme_gives_them(
    toy_matcher, tmp_path, capsys
):
    cvs = [str(p) for p in sorted((DATA / "cvs").glob("jpo_*.txt"))[:3]]
    out = tmp_path / "pool.csv"
    assert main(["pool", *cvs, "--jpo", str(BROCHURE), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("no requirements stated") == 23
    assert (pd.read_csv(out).unknown_checks == NO_REQUIREMENTS).all()
    assert main(["pool", *cvs, "--jpo", str(BROCHURE), "--programme", str(JPO / "programme.txt"),
                 "--out", str(out)]) == 0  # fmt: skip
    assert "no requirements stated" not in capsys.readouterr().out
    table = pd.read_csv(out)
    assert set(table.eligibility) & {"eligible", "ineligible"}
