"""Build the JPO allocation sample: 23 synthetic candidates, their preferences, and a fit table.

    python data/jpo/make_sample.py            # fit from matcher's ranking (loads the MiniLM model)
    python data/jpo/make_sample.py --synthetic  # fit from a stated formula, no model

Everything here is SYNTHETIC: the candidates are invented, built from a dozen professional
backgrounds that echo the 23 openings of the 2024-2026 OSCE JPO brochure
(``data/vacancies/osce-jpo-2024-2026-secretariat-openings.txt``). Deterministic (fixed seed).

Writes, next to this file:

- ``cvs/JPO-Cnn.txt``: the 23 short CVs (no names, no personal data);
- ``preferences.csv``: ``candidate_id, choice_1, choice_2, choice_3``: opening ids (JPO-07) or
  areas (CPC), in order; popular areas (OSG, CPC) are over-subscribed on purpose;
- ``areas.csv``: ``opening_id, area, unit`` from :func:`matcher.parse_jpo_openings`;
- ``fit.csv``: ``candidate_id`` x 23 opening ids. By default each column is the ``score`` of
  ``matcher.Matcher().rank(opening, cvs)``, i.e. matcher's own fit of the CV to that opening's
  duties (rounded to 3 decimals). ``--synthetic`` instead writes
  ``0.35 + 0.45 * [opening in the candidate's main background] + 0.15 * [secondary] + noise``,
  clipped to [0, 1] (the file's ``fit_source`` line in ``README.md`` says which was used);
- ``groups.csv``: ``candidate_id, group``: an invented group label (``State A`` ...) to
  demonstrate balance constraints; it never enters a score.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BROCHURE = ROOT / "data" / "vacancies" / "osce-jpo-2024-2026-secretariat-openings.txt"
SEED = 2024

# background -> (main openings, degree, duty sentences)
BACKGROUNDS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "media": (
        ("JPO-01",),
        "Master of Arts in Journalism and Media Studies",
        (
            "Drafted press releases, news items and social media posts for an international NGO.",
            "Produced short videos, photographs and infographics for the organisation's website.",
            "Monitored media coverage and compiled monthly visibility and analytics reports.",
            "Organised press conferences and accredited journalists for high-level events.",
            "Edited stories based on interviews with field staff and project partners.",
        ),
    ),
    "policy": (
        ("JPO-02", "JPO-03", "JPO-07", "JPO-08", "JPO-09", "JPO-10"),
        "Master of Arts in International Relations",
        (
            "Drafted briefing notes, talking points and speeches for senior officials.",
            "Followed political developments in the South Caucasus and Central Asia and wrote "
            "weekly analytical reports.",
            "Prepared background papers for meetings with the United Nations and the European "
            "Union.",
            "Took notes at negotiations and followed up on action points with delegations.",
            "Supported liaison with partner international organisations and think tanks.",
        ),
    ),
    "gender": (
        ("JPO-04",),
        "Master of Arts in Gender Studies",
        (
            "Supported gender mainstreaming in project design and monitoring.",
            "Organised awareness campaigns on violence against women, including 16 Days of "
            "Activism.",
            "Researched gender parity on conference panels and prepared recommendations.",
            "Drafted concept notes for events on women, peace and security.",
        ),
    ),
    "law": (
        ("JPO-05",),
        "Master of Laws (LL.M.) in Public International Law",
        (
            "Conducted legal research on privileges and immunities of international organisations.",
            "Reviewed contracts and memoranda of understanding for legal compliance.",
            "Drafted legal opinions on administrative and staff regulations.",
            "Assisted in preparing submissions for internal appeals and disputes.",
        ),
    ),
    "security": (
        ("JPO-06", "JPO-11"),
        "Master of Science in Security Studies",
        (
            "Prepared security risk assessments and travel advisories for staff on mission.",
            "Monitored open sources around the clock and issued incident alerts.",
            "Maintained emergency contact lists and supported crisis management exercises.",
            "Coordinated security briefings for newly arrived personnel.",
        ),
    ),
    "programme": (
        ("JPO-12", "JPO-22"),
        "Master of Public Administration",
        (
            "Supported project proposals using results-based management and logical frameworks.",
            "Designed monitoring and evaluation plans and collected indicator data.",
            "Drafted evaluation reports with findings and recommendations.",
            "Reviewed project budgets and progress reports for donors.",
        ),
    ),
    "trafficking": (
        ("JPO-13", "JPO-14"),
        "Master of Arts in Human Rights",
        (
            "Supported capacity-building workshops on combating trafficking in human beings.",
            "Researched labour exploitation in supply chains and emerging technology risks.",
            "Coordinated with civil society organisations assisting victims of trafficking.",
            "Drafted training materials for police and prosecutors on identifying victims.",
        ),
    ),
    "economics": (
        ("JPO-15", "JPO-16"),
        "Master of Science in Economics",
        (
            "Analysed good governance, anti-corruption and anti-money-laundering policies.",
            "Researched energy security, critical infrastructure and the energy transition.",
            "Prepared economic briefs and organised regional expert conferences.",
            "Collected and analysed statistical data on trade and connectivity.",
        ),
    ),
    "police": (
        ("JPO-17",),
        "Master of Arts in Criminology",
        (
            "Supported police reform projects on community policing and human rights.",
            "Researched strategies against organised crime and cybercrime.",
            "Organised expert meetings for law enforcement agencies.",
            "Drafted guidebooks on police-public partnerships.",
        ),
    ),
    "risk": (
        ("JPO-18", "JPO-19"),
        "Master of Business Administration in Finance",
        (
            "Maintained the enterprise risk register and supported compliance reviews.",
            "Supported procurement and contracting processes, from tender to contract award.",
            "Analysed information security policies and data protection controls.",
            "Prepared logistics and asset management reports for field offices.",
        ),
    ),
    "hr": (
        ("JPO-20",),
        "Master of Science in Human Resource Management",
        (
            "Screened applications and coordinated interviews and written tests for recruitment.",
            "Developed outreach campaigns to attract candidates from under-represented countries.",
            "Maintained recruitment data and prepared talent acquisition reports.",
        ),
    ),
    "oversight": (
        ("JPO-21", "JPO-23"),
        "Master of Science in Accounting and Auditing",
        (
            "Supported internal audits of financial and procurement processes.",
            "Assisted investigations of alleged misconduct, fraud and corruption.",
            "Analysed financial records and collected evidence for audit findings.",
            "Drafted audit and investigation reports with recommendations.",
        ),
    ),
}

# how many of the 23 candidates come from each background (policy deliberately popular)
MIX = {
    "policy": 5,
    "media": 2,
    "gender": 2,
    "law": 2,
    "security": 2,
    "programme": 1,
    "trafficking": 2,
    "economics": 2,
    "police": 1,
    "risk": 2,
    "hr": 1,
    "oversight": 1,
}

AREA_OF = {
    **{f"JPO-{k:02d}": "OSG" for k in range(1, 7)},
    **{f"JPO-{k:02d}": "CPC" for k in range(7, 13)},
    "JPO-13": "SR/CTHB",
    "JPO-14": "SR/CTHB",
    "JPO-15": "OCEEA",
    "JPO-16": "OCEEA",
    "JPO-17": "TNTD",
    "JPO-18": "DMF",
    "JPO-19": "DMF",
    "JPO-20": "DHR",
    "JPO-21": "OIO",
    "JPO-22": "OIO",
    "JPO-23": "OIO",
}
POPULAR = ("OSG", "CPC")


def candidates(rng: random.Random) -> list[dict]:
    backgrounds = [b for b, k in MIX.items() for _ in range(k)]
    rng.shuffle(backgrounds)
    out = []
    for i, main in enumerate(backgrounds, start=1):
        second = rng.choice([b for b in BACKGROUNDS if b != main])
        out.append({"id": f"JPO-C{i:02d}", "main": main, "second": second})
    return out


def preferences(c: dict, rng: random.Random) -> list[str]:
    """Up to three choices: the main background first, often a popular area, sometimes fewer."""
    mains = list(BACKGROUNDS[c["main"]][0])
    rng.shuffle(mains)
    first = mains[0] if len(mains) == 1 or rng.random() < 0.6 else AREA_OF[mains[0]]
    choices = [first]
    second_pool = list(BACKGROUNDS[c["second"]][0])
    pool = [AREA_OF[m] for m in mains[1:]] + second_pool + list(POPULAR)
    rng.shuffle(pool)
    covered = set(_members(first))
    for x in pool:
        if len(choices) == 3:
            break
        if x in choices or set(_members(x)) <= covered:
            continue
        choices.append(x)
        covered |= set(_members(x))
    k = rng.choice([1, 2, 3, 3, 3])
    return choices[:k]


def _members(x: str) -> list[str]:
    return [o for o, a in AREA_OF.items() if a == x] or [x]


def cv_text(c: dict, rng: random.Random) -> str:
    main_degree, main_duties = BACKGROUNDS[c["main"]][1], BACKGROUNDS[c["main"]][2]
    second_duties = BACKGROUNDS[c["second"]][2]
    year = rng.choice([2019, 2020, 2021])
    main = rng.sample(main_duties, k=min(3, len(main_duties)))
    extra = rng.sample(second_duties, k=1)
    langs = ["English (C1)", rng.choice(["French (B2)", "Russian (B2)", "German (B1)"])]
    lines = [
        f"Candidate {c['id']} (synthetic sample CV)",
        "",
        "EDUCATION",
        f"{main_degree}, {year}",
        f"Bachelor of Arts in Social Sciences, {year - 2}",
        "",
        "PROFESSIONAL EXPERIENCE",
        f"09/{year} - 12/2023: Associate Officer, international organisation",
        *[f"- {d}" for d in main],
        f"01/{year - 1} - 08/{year}: Intern, ministry",
        *[f"- {d}" for d in extra],
        "",
        "LANGUAGES",
        ", ".join(langs),
        "",
    ]
    return "\n".join(lines)


def synthetic_fit(cands: list[dict], openings: list[str], rng: random.Random) -> dict:
    fit = {}
    for c in cands:
        main = set(BACKGROUNDS[c["main"]][0])
        second = set(BACKGROUNDS[c["second"]][0])
        for o in openings:
            value = 0.35 + 0.45 * (o in main) + 0.15 * (o in second) + rng.gauss(0, 0.06)
            fit[c["id"], o] = round(min(1.0, max(0.0, value)), 3)
    return fit


def matcher_fit(cands: list[dict], vacancies: list, cv_dir: Path) -> dict:
    import matcher

    m = matcher.Matcher()
    cvs = matcher.load_cvs(sorted(cv_dir.glob("*.txt")))
    fit = {}
    for v in vacancies:
        ranking = m.rank(v, cvs, progress=False)
        for row in ranking.itertuples():
            fit[str(row.candidate_id), v.id] = round(float(row.score), 3)
    return fit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", action="store_true", help="formula fit, no model")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import matcher

    rng = random.Random(SEED)
    vacancies = list(matcher.parse_jpo_openings(BROCHURE.read_text(encoding="utf-8")))
    openings = [v.id for v in vacancies]
    assert {v.id: v.department for v in vacancies} == AREA_OF, "brochure areas changed"
    cands = candidates(rng)
    cv_dir = HERE / "cvs"
    cv_dir.mkdir(exist_ok=True)
    for c in cands:
        (cv_dir / f"{c['id']}.txt").write_text(cv_text(c, rng), encoding="utf-8")
    with open(HERE / "preferences.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["candidate_id", "choice_1", "choice_2", "choice_3"])
        for c in cands:
            prefs = preferences(c, rng)
            w.writerow([c["id"], *prefs, *[""] * (3 - len(prefs))])
    with open(HERE / "areas.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["opening_id", "area", "unit"])
        for v in vacancies:
            w.writerow([v.id, v.department, v.unit])
    with open(HERE / "groups.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["candidate_id", "group"])
        for c in cands:
            w.writerow([c["id"], rng.choice(["State A", "State B", "State C", "State D"])])
    fit_rng = random.Random(SEED + 1)
    fit = (
        synthetic_fit(cands, openings, fit_rng)
        if args.synthetic
        else matcher_fit(cands, vacancies, cv_dir)
    )
    with open(HERE / "fit.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["candidate_id", *openings])
        for c in cands:
            w.writerow([c["id"], *[f"{fit[c['id'], o]:.3f}" for o in openings]])
    source = "synthetic formula" if args.synthetic else "matcher.Matcher().rank score"
    print(f"wrote {len(cands)} candidates x {len(openings)} openings; fit: {source}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
