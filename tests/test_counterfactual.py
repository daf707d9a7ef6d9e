"""Blind screening, tested counterfactually on the sample CVs.

Swap names, genders (pronouns, honorifics, gender lines), nationalities and birth dates across the
sample CVs: nothing that reaches the encoder may change, and with the real model no score, no
eligibility and no rank may change. The swaps are done on the raw CV text by this test's own
patterns, so a personal detail the parser misses shows up as a difference instead of being
silently swapped along with its redaction.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

import matcher
from matcher.scoring.fit import prepare_candidate
from matcher.types import CandidateProfile

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "cvs"
VACANCIES = ROOT / "data" / "vacancies"
REFERENCE = date(2025, 7, 31)

# --------------------------------------------------------------------------- identities


@dataclass(frozen=True)
class Identity:
    name: tuple[str, ...]  # name tokens as written
    gender: str | None  # "female" / "male" / None
    nationality: str | None
    birth: str | None  # a date as written (dd.mm.yyyy, dd/mm/yyyy)


_NAME_LINE = re.compile(
    r"^(?:#+\s*)?(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?"
    r"([A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]+(?:\s+[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]+){1,3})\s*$"
)
_LABELLED_NAME = re.compile(
    r"(?i)\b(?:full\s+name|name|family\s+name|first\s+name|surname|nom|prénom|vorname|nachname|"
    r"фио)\s*[:]\s*([^\n|;]+?)(?=\s{3,}|\s*[|;]|\s*$)",
    re.MULTILINE,
)
_GENDER_VALUE = re.compile(
    r"(?i)\b(gender|sex|sexe|geschlecht|пол)(\s*[:\-–]?\s*)"
    r"(male|female|m|f|männlich|weiblich|masculin|féminin|мужской|женский)\b"
)
_NATIONALITY_VALUE = re.compile(
    r"(?i)\b(nationality(?:\s+at\s+birth)?|present\s+nationality|citizenship|nationalité|"
    r"staatsangehörigkeit|nationalität|staatsbürgerschaft|гражданство)(\s*[:\-–]?\s*)"
    r"([^\n|;–]+?)(?=\s*[|;–]|\s{3,}|\s*$)",
    re.MULTILINE,
)
_BIRTH_VALUE = re.compile(
    r"(?i)\b(date\s+of\s+birth|d\.o\.b\.?|born|geburtsdatum|geboren(?:\s+am)?|"
    r"date\s+de\s+naissance|née?\s+le|дата\s+рождения)(\s*[:\-–]?\s*)"
    r"(\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d\d)"
)
_DATE_PARTS = re.compile(r"(\d{1,2})([./-])(\d{1,2})([./-])((?:19|20)\d\d)")

# pronouns and honorifics, and their counterpart in the other gender
_FLIP = {
    "he": "she",
    "she": "he",
    "him": "her",
    "his": "her",
    "her": "his",
    "hers": "his",
    "himself": "herself",
    "herself": "himself",
    "mr": "ms",
    "mrs": "mr",
    "ms": "mr",
    "herr": "frau",
    "frau": "herr",
    "monsieur": "madame",
    "madame": "monsieur",
    "né": "née",
    "née": "né",
}
_FLIP_RX = re.compile(r"(?<![\w@.])(" + "|".join(_FLIP) + r")(?![\w@])", re.IGNORECASE)
_GENDER_SWAP = {
    "male": "female",
    "female": "male",
    "m": "f",
    "f": "m",
    "männlich": "weiblich",
    "weiblich": "männlich",
    "masculin": "féminin",
    "féminin": "masculin",
    "мужской": "женский",
    "женский": "мужской",
}
_MARITAL = {
    "married": "single",
    "single": "married",
    "verheiratet": "ledig",
    "ledig": "verheiratet",
    "célibataire": "mariée",
    "mariée": "célibataire",
    "marié": "célibataire",
    "divorced": "married",
    "женат": "холост",
    "холост": "женат",
    "замужем": "не замужем",
}
_MARITAL_RX = re.compile(
    r"(?i)(?:(?<=familienstand: )|(?<=marital status: )|(?<=– )|(?<=\| ))("
    + "|".join(sorted(map(re.escape, _MARITAL), key=len, reverse=True))
    + r")(?=\s*(?:$|[|;–\n]))",
    re.MULTILINE,
)


def swap_marital_status(text: str) -> str:
    """A stated marital status turned into another one."""
    return _MARITAL_RX.sub(lambda m: _case_like(m.group(1), _MARITAL[m.group(1).lower()]), text)


#: the Secretariat's duty station: a national of it is legitimately ineligible for some posts
DUTY_STATION_NATIONALITIES = {"austrian", "österreichisch", "österreich", "austria"}


def _case_like(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def identity_of(text: str) -> Identity:
    """Who the CV says its author is, read by this test's own patterns (not the parser's)."""
    tokens: list[str] = []
    for m in _LABELLED_NAME.finditer(text):
        tokens.extend(m.group(1).replace(",", " ").split())
    if not tokens:
        for line in [ln for ln in text.splitlines() if ln.strip()][:3]:
            m = _NAME_LINE.match(line.strip())
            if m and not re.search(
                r"(?i)curriculum|vitae|resume|lebenslauf|резюме|europass|"
                r"personal|information|form",
                m.group(1),
            ):
                tokens = m.group(1).split()
                break
    gender = None
    g = _GENDER_VALUE.search(text)
    if g:
        gender = (
            "female"
            if g.group(3).lower() in ("female", "f", "weiblich", "féminin", "женский")
            else "male"
        )
    n = _NATIONALITY_VALUE.search(text)
    b = _BIRTH_VALUE.search(text)
    return Identity(
        name=tuple(t for t in tokens if len(t) > 1 and not t.endswith(".")),
        gender=gender,
        nationality=n.group(3).strip() if n else None,
        birth=b.group(3) if b else None,
    )


def _flip_word(m: re.Match[str]) -> str:
    word = m.group(1)
    if word.isupper() and len(word) > 1:  # "MS Project", "HE" (higher education): not pronouns
        return word
    return _case_like(word, _FLIP[word.lower()])


def flip_gender(text: str) -> str:
    """Every pronoun, honorific and gender line turned to the other gender."""
    text = _FLIP_RX.sub(_flip_word, text)
    return _GENDER_VALUE.sub(
        lambda m: (
            m.group(1) + m.group(2) + _case_like(m.group(3), _GENDER_SWAP[m.group(3).lower()])
        ),
        text,
    )


def swap_identity(text: str, own: Identity, other: Identity) -> str:
    """The same CV written by someone else: name, gender, nationality and birth date."""
    # names: first -> first, last -> last, middle names dropped; every mention, e-mails included
    if own.name and other.name:
        mapping = {own.name[0]: other.name[0], own.name[-1]: other.name[-1]}
        for middle in own.name[1:-1]:
            mapping.setdefault(middle, other.name[-1])
        for old in sorted(mapping, key=len, reverse=True):
            new = mapping[old]
            text = re.sub(
                rf"(?<!\w){re.escape(old)}(?!\w)",
                lambda m, new=new: _case_like(m.group(0), new),
                text,
                flags=re.IGNORECASE,
            )
    if not own.gender or (other.gender and own.gender != other.gender):
        text = flip_gender(text)
    if own.nationality and other.nationality:
        text = _NATIONALITY_VALUE.sub(
            lambda m: m.group(1) + m.group(2) + other.nationality, text, count=1
        )
    text = swap_marital_status(text)
    if own.birth:
        text = _BIRTH_VALUE.sub(
            lambda m: m.group(1) + m.group(2) + _other_date(m.group(3), other.birth), text
        )
    return text


def _other_date(own: str, other: str | None) -> str:
    """``other``'s birth date in ``own``'s format (or ``own`` moved by 23 years)."""
    mine = _DATE_PARTS.fullmatch(own)
    theirs = _DATE_PARTS.fullmatch(other or "")
    if mine is None:
        return own
    if theirs is None or theirs.group(5) == mine.group(5):
        year = int(mine.group(5))
        return f"{mine.group(3)}{mine.group(2)}{mine.group(1)}{mine.group(4)}{year - 23}"
    return f"{theirs.group(1)}{mine.group(2)}{theirs.group(3)}{mine.group(4)}{theirs.group(5)}"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def originals() -> dict[str, CandidateProfile]:
    loaded = matcher.load_cvs(SAMPLES, reference_date=REFERENCE)
    if len(loaded.profiles) < 20:
        pytest.skip("sample CVs not found in data/cvs")
    return {p.id: p for p in loaded.profiles}


@pytest.fixture(scope="module")
def identities(originals: dict[str, CandidateProfile]) -> dict[str, Identity]:
    return {cid: identity_of(p.text) for cid, p in originals.items()}


def _parse(text: str, cid: str) -> CandidateProfile:
    return matcher.parse_cv(text, candidate_id=cid, reference_date=REFERENCE)


@pytest.fixture(scope="module")
def variants(
    originals: dict[str, CandidateProfile], identities: dict[str, Identity]
) -> dict[str, dict[str, CandidateProfile]]:
    """``{"baseline" | "identity" | "gender": {candidate id: profile parsed from text}}``."""
    ids = sorted(originals)
    pool = {
        "name": [identities[c].name for c in ids if identities[c].name],
        "gender": [identities[c].gender for c in ids if identities[c].gender],
        "nationality": [
            identities[c].nationality
            for c in ids
            if identities[c].nationality
            and identities[c].nationality.lower() not in DUTY_STATION_NATIONALITIES
        ],
        "birth": [identities[c].birth for c in ids if identities[c].birth],
    }
    assert len(pool["name"]) >= 25, "the test's own name patterns should find most authors"
    assert min(len(v) for v in pool.values()) >= 2, pool
    out: dict[str, dict[str, CandidateProfile]] = {"baseline": {}, "identity": {}, "gender": {}}
    for i, cid in enumerate(ids):
        text = originals[cid].text
        own = identities[cid]

        def pick(kind: str, i: int = i) -> object:
            values = pool[kind]
            return values[(i + 7) % len(values)]

        other = Identity(pick("name"), pick("gender"), pick("nationality"), pick("birth"))  # type: ignore[arg-type]
        if other.name == own.name:
            other = Identity(
                ("Alex", "Morgan-Ivanova"), other.gender, other.nationality, other.birth
            )
        out["baseline"][cid] = _parse(text, cid)
        out["identity"][cid] = _parse(swap_identity(text, own, other), cid)
        out["gender"][cid] = _parse(flip_gender(text), cid)
    return out


def _scored_texts(profile: CandidateProfile) -> tuple[str, ...]:
    """Every text of the CV that the encoder sees."""
    return tuple(prepare_candidate(profile).texts())


def _facts(profile: CandidateProfile) -> tuple[object, ...]:
    return (
        profile.highest_level,
        profile.experience_months,
        tuple((p.start, p.end, p.part_time_fraction) for p in profile.positions),
        tuple((s.language, s.level, s.native) for s in profile.languages),
        tuple((d.level, d.end_year) for d in profile.education),
    )


# --------------------------------------------------------------------------- tests (no model)


def test_swaps_really_change_the_raw_text(originals, variants) -> None:
    """Guard against a vacuous test: the counterfactual CVs differ from the originals."""
    changed = {
        kind: sum(variants[kind][c].text != variants["baseline"][c].text for c in originals)
        for kind in ("identity", "gender")
    }
    assert changed["identity"] >= len(originals) - 2, changed
    assert changed["gender"] >= 3, changed
    marital = [c for c in originals if swap_marital_status(originals[c].text) != originals[c].text]
    assert len(marital) >= 2, marital  # the German and the French sample state it


@pytest.mark.parametrize("kind", ["identity", "gender"])
def test_nothing_personal_reaches_the_encoder(variants, kind: str) -> None:
    leaks = []
    for cid, base in variants["baseline"].items():
        a, b = _scored_texts(base), _scored_texts(variants[kind][cid])
        if a != b:
            diff = next(((x, y) for x, y in itertools.zip_longest(a, b) if x != y), ("?", "?"))
            leaks.append(f"{cid}: {diff[0]!r} became {diff[1]!r}")
    assert not leaks, f"{len(leaks)} CV(s) leak personal data to the encoder:\n" + "\n".join(leaks)


@pytest.mark.parametrize("kind", ["identity", "gender"])
def test_extracted_facts_do_not_depend_on_identity(variants, kind: str) -> None:
    changed = [
        cid
        for cid, base in variants["baseline"].items()
        if _facts(base) != _facts(variants[kind][cid])
    ]
    assert not changed, f"facts changed for {changed}"


def test_blind_text_hides_every_identity(originals, identities) -> None:
    """Names, birth dates, gender lines found by this test's patterns are not in the blind text."""
    leaks = []
    for cid, profile in originals.items():
        ident = identities[cid]
        blind = profile.blind_text
        for token in ident.name:
            if len(token) > 2 and re.search(rf"(?<!\w){re.escape(token)}(?!\w)", blind, re.I):
                leaks.append(f"{cid}: name {token!r}")
        if ident.birth and ident.birth in blind:
            leaks.append(f"{cid}: birth date")
        if _GENDER_VALUE.search(blind):
            leaks.append(f"{cid}: gender line")
        if ident.nationality and re.search(
            rf"(?i)nationalit\w*\s*[:\-–]?\s*{re.escape(ident.nationality)}", blind
        ):
            leaks.append(f"{cid}: nationality line")
        gendered = [m.group(1) for m in _FLIP_RX.finditer(blind) if not m.group(1).isupper()]
        if gendered:
            leaks.append(f"{cid}: gendered word {gendered[0]!r}")
    assert not leaks, "\n".join(leaks)


# --------------------------------------------------------------------------- tests (real model)


class _MemoEncoder:
    """The real encoder with a per-text memo, so unchanged texts are encoded once."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.model_id = getattr(inner, "model_id", "memo")
        self.multilingual = getattr(inner, "multilingual", False)
        self.memo: dict[str, np.ndarray] = {}

    @property
    def dim(self) -> int:
        return int(self.inner.dim)  # type: ignore[attr-defined]

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self.memo}, key=lambda t: (len(t), t))
        if missing:
            vecs = self.inner.encode(missing)  # type: ignore[attr-defined]
            self.memo.update(zip(missing, vecs, strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.memo[t] for t in texts]).astype(np.float32)


@pytest.fixture(scope="module")
def real_matcher() -> matcher.Matcher:
    from matcher.scoring.encoders import SentenceTransformerEncoder

    return matcher.Matcher(encoder=_MemoEncoder(SentenceTransformerEncoder()))


@pytest.mark.model
@pytest.mark.parametrize(
    "notice",
    [
        "osce-associate-security-project-officer-SEC000821.txt",
        "osce-associate-procurement-officer-SEC000847.txt",
    ],
)
def test_no_score_and_no_rank_changes(real_matcher, variants, notice: str) -> None:
    vacancy = matcher.load_vacancy(VACANCIES / notice)
    frames = {
        kind: real_matcher.rank(vacancy, list(profiles.values())).set_index("candidate_id")
        for kind, profiles in variants.items()
    }
    base = frames["baseline"]
    assert base["score"].notna().all() and base["score"].nunique() > 10
    for kind in ("identity", "gender"):
        other = frames[kind].loc[base.index]
        moved = base.index[
            (base["score"] != other["score"])
            | (base["rank"] != other["rank"])
            | (base["eligibility"] != other["eligibility"])
        ]
        detail = [
            f"{cid}: score {base.at[cid, 'score']} -> {other.at[cid, 'score']}, rank "
            f"{base.at[cid, 'rank']} -> {other.at[cid, 'rank']}, "
            f"{base.at[cid, 'eligibility']} -> {other.at[cid, 'eligibility']}"
            for cid in moved
        ]
        assert not detail, f"{kind} swap changed {len(detail)} result(s):\n" + "\n".join(detail)


# --------------------------------------------------------------------------- in-body mentions
#
# The swaps above change what a CV says about its author in the header and the personal block.
# These put the same facts inside a job: a pronoun, an honorific, a nationality phrase, a gender or
# age line or the author's name written in a bullet, in several scripts. Only the personal detail
# differs within a pair, so every score and rank must be identical; scoring the raw position text
# (not its redacted form) fails here.

LIVECAREER = ROOT.parent / "shared" / "eval" / "resumes" / "livecareer_resumes_2484.csv"

#: (full name, how a bullet mentions the author): Latin, hyphenated, Chinese, Greek, Arabic
_NAMES = (
    ("Elena Marchetti", "Elena"),
    ("Mohammed Al-Rashid", "Mohammed"),
    ("李伟", "李伟"),
    ("Ελένη Παπαδοπούλου", "Ελένη"),
    ("محمد العلي", "محمد"),
    ("Oluwaseun Adebayo", "Oluwaseun"),
    ("Li Wei", "Li"),
)
#: header forms of a name ("{}" is the name)
_HEADER_FORMS = ("{}", "{}, MSc", "Curriculum Vitae of {}", "{} (she/her)", "{} – Project Officer")
#: (what varies, the two versions): a sentence appended to a bullet, or a line ("\n...")
_MENTIONS = (
    ("pronoun", "She coordinated this work", "He coordinated this work"),
    ("honorific", "Commended by the director as Mrs. Novak",
     "Commended by the director as Mr. Novak"),
    ("nationality", "Deployed as a Dutch national", "Deployed as a Nigerian national"),
    ("citizenship", "Seconded as a citizen of Kenya", "Seconded as a citizen of Norway"),
    ("self-described gender", "Mentored staff as a woman in policing",
     "Mentored staff as a man in policing"),
    ("pronoun group", "(she/her)", "(they/them)"),
    ("gender line", "\nGender: Female", "\nGender: Male"),
    ("age line", "\nAge: 29", "\nAge: 61"),
    ("age", "Recruited aged 24", "Recruited aged 58"),
    ("birth date line", "\nDate of birth: 12.03.1994", "\nDate of birth: 05.11.1961"),
)


def _real_resumes(n: int = 10) -> dict[str, str]:
    """``n`` livecareer resumes spread over the file (read in place), or none when absent."""
    import csv

    if not LIVECAREER.exists():
        return {}
    csv.field_size_limit(10**8)
    with LIVECAREER.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {f"lc{r['ID']}": r["Resume_str"] for r in rows[:: max(1, len(rows) // n)][:n]}


def _in_bullet(text: str, profile: CandidateProfile, extra: str) -> str | None:
    """``text`` with ``extra`` added to the first line of the first described position."""
    pos = next((p for p in profile.positions if p.description.strip()), None)
    if pos is None:
        return None
    line = next(ln for ln in pos.description.split("\n") if ln.strip())
    at = text.find(line, pos.evidence.start if pos.evidence else 0)
    at = at if at >= 0 else text.find(line)
    if at < 0:
        return None
    end = at + len(line)
    if extra.startswith("\n"):
        return text[:end] + extra + text[end:]
    sep = " " if line.rstrip().endswith((".", ";")) else ". "
    return text[:end] + sep + extra + "." + text[end:]


def _named(text: str, full: str, form: str, parsed: CandidateProfile) -> str:
    """``text`` written by ``full``: its own name replaced everywhere, or a name line on top."""
    own = identity_of(text).name if parsed.personal.name else ()
    if not own:
        return form.format(full) + "\n" + text
    text = text.replace(" ".join(own), full)
    for token in own:
        new = full.split()[0] if token == own[0] else full.split()[-1]
        text = re.sub(rf"(?<!\w){re.escape(token)}(?!\w)", new, text)
    return text


@pytest.fixture(scope="module")
def mention_pairs(originals) -> list[tuple[str, str, CandidateProfile, CandidateProfile]]:
    """(id, what varies, version A, version B): two mentions per CV and one name pair."""
    texts = {cid: p.text for cid, p in originals.items()} | _real_resumes()
    pairs = []
    for k, (cid, text) in enumerate(sorted(texts.items())):
        base = _parse(text, cid)
        for what, a, b in (_MENTIONS[k % len(_MENTIONS)], _MENTIONS[(k + 4) % len(_MENTIONS)]):
            ta, tb = _in_bullet(text, base, a), _in_bullet(text, base, b)
            if ta is not None and tb is not None:
                pairs.append((f"{cid}~{what}", what, _parse(ta, cid), _parse(tb, cid)))
        (na, ma), (nb, mb) = _NAMES[k % len(_NAMES)], _NAMES[(k + 3) % len(_NAMES)]
        form = _HEADER_FORMS[k % len(_HEADER_FORMS)]
        done = "drafted the unit's reporting templates"
        ta = _in_bullet(_named(text, na, form, base), base, f"{ma} {done}")
        tb = _in_bullet(_named(text, nb, form, base), base, f"{mb} {done}")
        if ta is not None and tb is not None:
            pairs.append((f"{cid}~name", f"name ({na} / {nb})", _parse(ta, cid), _parse(tb, cid)))
    return pairs


def test_in_body_mentions_are_really_inside_positions(mention_pairs) -> None:
    """Guard against a vacuous test: enough pairs, from real resumes too, and the varied detail
    sits in a position's raw description (where the parser keeps it for the other checks)."""
    assert len(mention_pairs) >= 40
    assert len({cid.split("~")[0] for cid, *_ in mention_pairs}) >= 30
    if LIVECAREER.exists():
        assert sum(cid.startswith("lc") for cid, *_ in mention_pairs) >= 20
    inside = sum(
        any(pa.text.count(x) for x in ("coordinated", "Novak", "national", "citizen", "staff as",
                                       "she/her", "Gender:", "Age:", "aged", "Date of birth",
                                       "drafted the unit"))
        and any(
            p.description != q.description
            for p, q in zip(pa.positions, pb.positions, strict=False)
        )
        for _cid, _what, pa, pb in mention_pairs
    )
    assert inside >= 0.9 * len(mention_pairs), inside


def test_in_body_mentions_never_reach_the_encoder(mention_pairs) -> None:
    leaks = []
    for cid, what, pa, pb in mention_pairs:
        a, b = _scored_texts(pa), _scored_texts(pb)
        if a != b or _facts(pa) != _facts(pb):
            diff = next(((x, y) for x, y in itertools.zip_longest(a, b) if x != y), ("?", "?"))
            leaks.append(f"{cid} ({what}): {diff[0]!r} / {diff[1]!r}")
    assert not leaks, f"{len(leaks)} pair(s) leak:\n" + "\n".join(leaks)


@pytest.mark.model
def test_in_body_mentions_change_no_score_and_no_rank(real_matcher, mention_pairs) -> None:
    notice = VACANCIES / "osce-associate-security-project-officer-SEC000821.txt"
    vacancy = matcher.load_vacancy(notice)
    pools = [
        [replace(p, id=cid) for cid, _what, *versions in mention_pairs for p in versions[i : i + 1]]
        for i in (0, 1)
    ]
    a, b = (real_matcher.rank(vacancy, pool).set_index("candidate_id") for pool in pools)
    b = b.loc[a.index]
    assert a["score"].notna().all() and a["score"].nunique() > 10
    moved = a.index[(a["score"] != b["score"]) | (a["rank"] != b["rank"])]
    detail = [
        f"{cid}: score {a.at[cid, 'score']} -> {b.at[cid, 'score']}, rank {a.at[cid, 'rank']} -> "
        f"{b.at[cid, 'rank']}"
        for cid in moved
    ]
    assert not detail, f"{len(detail)} of {len(a)} pair(s) changed:\n" + "\n".join(detail)


@pytest.mark.parametrize(
    "header, name",
    [
        ("ELENA MARCHETTI-VOS, MSc", "ELENA MARCHETTI-VOS"),
        ("Curriculum Vitae of Elena Marchetti", "Elena Marchetti"),
        ("Elena Marchetti (she/her)", "Elena Marchetti"),
        ("Elena Marchetti – Project Officer", "Elena Marchetti"),
        ("Ελένη Παπαδοπούλου", "Ελένη Παπαδοπούλου"),
        ("محمد العلي", "محمد العلي"),
        ("李伟", "李伟"),
        ("Petrova, Anna", "Petrova, Anna"),
    ],
)
def test_header_names_are_found_and_redacted_everywhere(header: str, name: str) -> None:
    text = (
        f"{header}\nVienna | e-mail: x@example.org\n\nEXPERIENCE\nAnalyst, Acme Ltd, 2019 - 2021\n"
        f"- {name.split()[0].strip(',')} drafted the reporting templates.\n"
    )
    profile = _parse(text, "cand")
    assert profile.personal.name == name
    scored = " ".join(_scored_texts(profile))
    for part in name.replace(",", " ").split():
        assert part not in scored and part not in profile.blind_text
    assert "Analyst" in scored and "Acme Ltd" in scored


def test_redaction_keeps_job_titles_and_topics() -> None:
    from matcher.features.pii import redact

    kept = ("Senior national expert on border management", "Led national campaigns",
            "Trained 40 staff in MS Office and Ms Excel", "Promoted women's participation",
            "Head of Office, OSCE Mission to Skopje, 2019 - 2021", "Fluent in Dutch")
    for text in kept:
        assert redact(text) == text
