"""What a CV can show, and what only the application form settles.

A notice's requirements are of two kinds (the table ``matcher/resources/requirement_basis.csv``):

* **CV-checkable**: degree, field of study, years, management years, languages a CV states;
* **declarations**: nationality, driving licence, physical or medical fitness, willingness to serve
  in hardship posts, security clearance, age limits. A CV rarely states them and their absence from
  a CV proves nothing, so they never make the CV verdict "unknown": each is listed per candidate as
  *to confirm on the application form*.

An answers file (one row per candidate and item, as an e-recruitment system's prescreening
questions give them) settles declarations: "no" makes the candidate ineligible with that reason,
"yes" records the confirmation.

    candidate_id,item,answer
    CONSULTANT_31016926,driving licence,yes
    CONSULTANT_31016926,hardship,no

An optional ``vacancy_id`` column limits a row to one vacancy. :func:`load_answers` reads and
validates such a file (CSV or JSON); :func:`settle_result` and :func:`settle_frame` apply it to a
:class:`~matcher.types.MatchResult` and to ranking rows, with the same outcome.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from matcher.errors import InputError, UnsupportedFormatError
from matcher.features.tables import read_table
from matcher.types import Check, Evidence, MatchResult, RequirementItem

__all__ = [
    "TO_CONFIRM",
    "Answers",
    "declaration_check",
    "declaration_item",
    "declaration_items",
    "is_declaration",
    "load_answers",
    "settle_checks",
    "settle_frame",
    "settle_result",
    "to_confirm",
]

#: The reason of a declaration no answer has settled yet.
TO_CONFIRM = "to confirm on the application form (a CV does not show it)"
ANSWERED_NO = "answered no on the application form"
ANSWERED_YES = "confirmed on the application form"

_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
_ALLOWED = "yes, no (also y/n, true/false, 1/0)"
_COLUMNS = ("candidate_id", "item", "answer")


@dataclass(frozen=True, slots=True)
class _Row:
    kind: str
    basis: str
    item: str
    aliases: tuple[str, ...]


def _norm(text: str) -> str:
    text = " ".join(str(text).replace("_", " ").replace("-", " ").split()).lower()
    return text.replace("license", "licence").replace("’", "'")


@cache
def _table() -> tuple[_Row, ...]:
    rows = []
    for rec in read_table("requirement_basis.csv", ("kind", "basis", "item", "aliases")):
        aliases = tuple(_norm(a) for a in rec["aliases"].split("|") if a.strip())
        rows.append(_Row(_norm(rec["kind"]), rec["basis"], _norm(rec["item"]), aliases))
    return tuple(rows)


@cache
def _items_by_name() -> dict[str, str]:
    """Every accepted spelling of a declaration item (its kind, its name, its aliases) -> item."""
    out: dict[str, str] = {}
    for row in _table():
        if row.basis != "declaration":
            continue
        for name in (row.item, row.kind, *row.aliases):
            out.setdefault(name, row.item)
    return out


def declaration_items() -> tuple[str, ...]:
    """The declaration items an answers file may name, in table order."""
    return tuple(dict.fromkeys(r.item for r in _table() if r.basis == "declaration"))


def declaration_item(name: str) -> str | None:
    """The declaration item a requirement kind or an answers file's item names, else None."""
    return _items_by_name().get(_norm(name))


def is_declaration(item: RequirementItem) -> bool:
    """Whether the application form, not the CV, settles this requirement (by its category)."""
    return bool(item.category) and declaration_item(item.category) is not None


def declaration_check(item: RequirementItem) -> Check:
    """The open check of a declaration: never blocking until an answer settles it."""
    return Check(
        item.text, item.category, "unknown", TO_CONFIRM, False, item.evidence, (),
        "declaration",
    )  # fmt: skip


def to_confirm(checks: Iterable[Check]) -> str:
    """The declaration items still open, as a ranking row shows them ("driving licence; age")."""
    items = (
        declaration_item(c.kind) or c.kind
        for c in checks
        if c.basis == "declaration" and c.status == "unknown"
    )
    return "; ".join(dict.fromkeys(items))


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True, slots=True)
class Answers:
    """Answers to declaration items: ``{(candidate_id, item, vacancy_id or ""): True / False}``.

    A row with an empty vacancy applies to every vacancy; one naming a vacancy wins over it.
    """

    values: Mapping[tuple[str, str, str], bool] = field(default_factory=dict)
    source: str = ""

    def for_pair(self, candidate_id: str, vacancy_id: str) -> dict[str, bool]:
        """``{item: answer}`` of one candidate for one vacancy."""
        out: dict[str, bool] = {}
        for (cid, item, vid), value in self.values.items():
            if cid == candidate_id and vid == "":
                out[item] = value
        for (cid, item, vid), value in self.values.items():
            if cid == candidate_id and vid and vid == vacancy_id:
                out[item] = value
        return out

    def __len__(self) -> int:
        return len(self.values)


def load_answers(source: Answers | str | os.PathLike[str] | Iterable[Mapping[str, Any]]) -> Answers:
    """Read and validate answers: a CSV or JSON file, or records with ``candidate_id``, ``item``,
    ``answer`` (and optionally ``vacancy_id``).

    A JSON file holds a list of such objects (or ``{"answers": [...]}``). Every problem raises
    :class:`~matcher.errors.InputError` naming the file, the line (CSV) or entry (JSON) and the
    allowed values.
    """
    if isinstance(source, Answers):
        return source
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise InputError("answers file not found", path=path)
        suffix = path.suffix.lower()
        text = path.read_text(encoding="utf-8-sig")
        if suffix == ".csv":
            return _from_records(_csv_records(text, path), str(path), "line")
        if suffix == ".json":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"not valid JSON (line {exc.lineno}): {exc.msg}", path=path
                ) from None
            if isinstance(data, Mapping):
                data = data.get("answers")
            if not isinstance(data, list):
                raise InputError(
                    "a JSON answers file holds a list of objects with candidate_id, item, answer "
                    '(or {"answers": [...]})',
                    path=path,
                )
            return _from_records(
                [(i, rec) for i, rec in enumerate(data, 1)], str(path), "entry"
            )  # fmt: skip
        raise UnsupportedFormatError(
            f"answers must be a .csv or .json file, not '{suffix or 'no suffix'}'", path=path
        )
    return _from_records([(i, rec) for i, rec in enumerate(source, 1)], "", "entry")


def _csv_records(text: str, path: Path) -> list[tuple[int, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [(_norm(h) if h else "") for h in (reader.fieldnames or [])]
    missing = [c for c in _COLUMNS if c.replace("_", " ") not in header]
    if missing:
        raise InputError(
            f"line 1: the header must name the columns candidate_id, item, answer (and optionally "
            f"vacancy_id); missing: {', '.join(missing)}",
            path=path,
        )
    reader.fieldnames = [h.replace(" ", "_") for h in header]
    return [(reader.line_num, rec) for rec in reader]


def _from_records(records: Sequence[tuple[int, Any]], where: str, unit: str) -> Answers:
    values: dict[tuple[str, str, str], bool] = {}
    seen_at: dict[tuple[str, str, str], int] = {}
    allowed_items = ", ".join(declaration_items())

    def fail(n: int, message: str) -> InputError:
        return InputError(f"{unit} {n}: {message}", path=where or None)

    for n, rec in records:
        if not isinstance(rec, Mapping):
            raise fail(n, "expected an object with candidate_id, item and answer")
        cid = str(rec.get("candidate_id") or "").strip()
        item_raw = str(rec.get("item") or "").strip()
        answer_raw = str(rec.get("answer") if rec.get("answer") is not None else "").strip()
        vid = str(rec.get("vacancy_id") or "").strip()
        if not cid:
            raise fail(n, "candidate_id is empty")
        item = declaration_item(item_raw)
        if item is None:
            raise fail(
                n, f"item '{item_raw}' is not a declaration item; allowed: {allowed_items}"
            )  # fmt: skip
        answer = answer_raw.lower()
        if answer in _YES:
            value = True
        elif answer in _NO:
            value = False
        else:
            raise fail(n, f"answer '{answer_raw}' is not one of {_ALLOWED}")
        key = (cid, item, vid)
        if key in values and values[key] != value:
            raise fail(
                n, f"contradicts {unit} {seen_at[key]} ({cid}, {item}: "
                f"{'yes' if values[key] else 'no'})",
            )  # fmt: skip
        values[key] = value
        seen_at.setdefault(key, n)
    return Answers(values, where)


# --------------------------------------------------------------------------- settling


def settle_checks(checks: Sequence[Check], answers: Mapping[str, bool]) -> tuple[Check, ...]:
    """The checks with every answered declaration settled (``answers``: ``{item: yes?}``).

    The declarations of one item become one check, moved to the end: "no" fails it (blocking),
    "yes" passes it (recorded, not blocking: a confirmation never makes a verdict on its own).
    """
    if not answers:
        return tuple(checks)
    kept: list[Check] = []
    settled: dict[str, list[Check]] = {}
    for c in checks:
        item = declaration_item(c.kind) if c.basis == "declaration" else None
        if item is not None and item in answers:
            settled.setdefault(item, []).append(c)
        else:
            kept.append(c)
    for item, group in settled.items():
        yes = answers[item]
        said = f"{item}: {'yes' if yes else 'no'}"
        ev: tuple[Evidence, ...] = (Evidence(said, source="answers"),)
        kept.append(
            Check(
                "; ".join(dict.fromkeys(c.requirement for c in group)), item,
                "pass" if yes else "fail", ANSWERED_YES if yes else ANSWERED_NO, not yes,
                group[0].vacancy_evidence, ev, "answer",
            )
        )  # fmt: skip
    return tuple(kept)


def settle_result(result: MatchResult, answers: Answers | None) -> MatchResult:
    """``result`` with the candidate's answers applied: checks, eligibility and explanation."""
    from matcher.scoring.eligibility import overall_eligibility
    from matcher.scoring.explanation import check_line

    mine = answers.for_pair(result.candidate_id, result.vacancy_id) if answers else {}
    if not mine:
        return result
    checks = settle_checks(result.checks, mine)
    if checks == result.checks:
        return result
    eligibility = overall_eligibility(checks)
    lines = result.explanation.split("\n")
    old = {"  " + check_line(c) for c in result.checks}
    kept = [ln for ln in lines if ln not in old]
    try:
        at = kept.index("Requirements:") + 1
    except ValueError:
        at = len(kept)
    kept[at:at] = ["  " + check_line(c) for c in checks]
    kept = [
        f"Eligibility: {eligibility.upper()}    Fit score: {result.score:.3f}"
        if ln.startswith("Eligibility: ")
        else ln
        for ln in kept
    ]
    return replace(result, checks=checks, eligibility=eligibility, explanation="\n".join(kept))


def settle_frame(frame: Any, answers: Answers | None, *, vacancy_id: str = "") -> Any:
    """Ranking rows with the answers applied as :func:`settle_result` applies them (same verdict,
    same failed-check words, same items left to confirm). Rows are not re-sorted here.

    ``vacancy_id`` names the vacancy of a frame without a ``vacancy_id`` column.
    """
    if not answers or frame is None or not len(frame) or "to_confirm" not in frame.columns:
        return frame
    frame = frame.copy()
    has_vacancy = "vacancy_id" in frame.columns
    for idx in frame.index:
        row = frame.loc[idx]
        open_items = [s for s in str(row["to_confirm"] or "").split("; ") if s]
        if not open_items or row["eligibility"] == "error":
            continue
        vid = str(row["vacancy_id"]) if has_vacancy else vacancy_id
        mine = answers.for_pair(str(row["candidate_id"]), vid)
        answered = [s for s in open_items if s in mine]
        if not answered:
            continue
        noes = [s for s in answered if not mine[s]]
        frame.at[idx, "to_confirm"] = "; ".join(s for s in open_items if s not in mine)
        if noes:
            words = [str(row["failed_checks"] or "")] + [f"{s}: {ANSWERED_NO}" for s in noes]
            frame.at[idx, "failed_checks"] = "; ".join(w for w in words if w)
            frame.at[idx, "eligibility"] = "ineligible"
    return frame
