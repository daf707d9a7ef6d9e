"""The shortlist a person reads: one self-contained HTML document.

HR panels read shortlists, not DataFrames. :func:`render_report` turns the records of a ranking
run (:class:`~matcher.types.MatchResult` per candidate, optionally the ranking frame, an allocation
and an adverse-impact report) into ONE HTML file: inline CSS, inline SVG charts, no script and no
network at view time, printable, keyboard-navigable and readable with a screen reader.

Two rules hold for every byte written:

* every text is escaped (:func:`html.escape`): CV text is hostile input, and a CV that contains
  ``<script>`` shows those characters, it never runs them;
* blind by default: candidates appear by id only. When the parsed profiles are passed, every piece
  of their personal data (name, e-mail, phone, address, date of birth, nationality ...) is also
  redacted from each CV quote; e-mail addresses and phone numbers are redacted in any case.

    >>> from matcher.types import MatchResult, ScorePart, Vacancy
    >>> parts = (ScorePart("duties", 0.6, 0.5, 0.3), ScorePart("languages", 0.4, 1.0, 0.4))
    >>> result = MatchResult("cv-001", "V1", "eligible", 0.7, parts=parts)
    >>> page = render_report(Vacancy(id="V1", title="Officer"), [result])
    >>> page.startswith("<!DOCTYPE html>") and "cv-001" in page
    True
"""

from __future__ import annotations

import dataclasses
import html
import math
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matcher.errors import ConfigError
from matcher.features.pii import ValueMasker, personal_values
from matcher.features.text import shorten
from matcher.scoring.declarations import to_confirm
from matcher.scoring.ranking import result_key
from matcher.types import (
    ISCED_LABELS,
    CandidateProfile,
    Check,
    DutyMatch,
    EducationOption,
    ExperienceRequirement,
    LanguageChoice,
    LanguageRequirement,
    MatchResult,
    ScorePart,
    Vacancy,
)

if TYPE_CHECKING:  # pragma: no cover
    from matcher.audit import AuditLog
    from matcher.scoring.matcher import Matcher

__all__ = ["render_report", "write_report", "shortlist_report"]

#: verdicts as the report shows them, in ranking order
_VERDICTS: tuple[str, ...] = ("eligible", "unknown", "ineligible")
_ELIGIBILITY_LABEL = {"eligible": "Eligible", "unknown": "Unknown", "ineligible": "Ineligible"}
_ELIGIBILITY_MARK = {"eligible": "\u2713", "unknown": "?", "ineligible": "\u2717"}
_STATUS_LABEL = {"pass": "Pass", "fail": "Fail", "unknown": "Unknown"}
_STATUS_MARK = {"pass": "\u2713", "fail": "\u2717", "unknown": "?"}
# colours (text on fill) chosen for a contrast ratio above 4.5:1
_ELIGIBILITY_FILL = {"eligible": "#1b7a3d", "unknown": "#b26b00", "ineligible": "#b3261e"}

#: A lead in score smaller than this over the next candidate is flagged as a close call.
CLOSE_CALL = 0.02
_MAX_QUOTE = 600  # characters of one CV quote shown; the rest is cut with a visible ellipsis
_DISPLAY_JUNK = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"  # control characters
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"  # invisible / bidi overrides
)
_REDACTED = "[redacted]"


# --------------------------------------------------------------------------- text helpers


def _clean(text: object, *, limit: int | None = None) -> str:
    """Display form of any text: control and bidi-override characters removed, optionally cut."""
    s = _DISPLAY_JUNK.sub("", "" if text is None else str(text))
    if limit is not None and len(s) > limit:
        s = shorten(s, limit)
    return s


def _e(text: object, *, limit: int | None = None) -> str:
    """Escape for HTML text and attribute values (quotes included)."""
    return html.escape(_clean(text, limit=limit), quote=True)


def _n_years(n: float) -> str:
    return f"{n:g} year" + ("" if n == 1 else "s")


def _fmt(x: float | None, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "\u2013"
    return f"{x:.{digits}f}"


class _Redactor:
    """Removes personal data from CV-derived text before it is shown (blind review): the one
    redactor of :mod:`matcher.features.pii`, one masker per candidate."""

    def __init__(self, profiles: Mapping[str, CandidateProfile] | None, *, blind: bool) -> None:
        self.blind = blind
        self.ids_with_names: list[str] = []
        self._maskers: dict[str, ValueMasker] = {}
        self._contacts = ValueMasker((), _REDACTED)
        for cid, profile in (profiles or {}).items():
            p = profile.personal
            # a name that is also the id (a CV file named after its owner) is already shown
            id_words = {w.lower() for w in re.split(r"[\W_]+", cid) if w}
            name_words = {w.lower() for w in re.split(r"[\s,]+", p.name or "") if len(w) >= 3}
            if name_words & id_words:
                self.ids_with_names.append(cid)
            values = [
                v
                for v in personal_values(p)
                if v.lower() not in id_words and v.lower() != cid.lower()
            ]
            self._maskers[cid] = ValueMasker(values, _REDACTED)

    def __call__(self, text: object, candidate_id: str) -> str:
        s = "" if text is None else str(text)
        if not self.blind:
            return s
        return self._maskers.get(candidate_id, self._contacts)(s)

    def name(self, candidate_id: str, profiles: Mapping[str, CandidateProfile] | None) -> str:
        if self.blind or not profiles or candidate_id not in profiles:
            return ""
        return profiles[candidate_id].personal.name or ""


def _language_name(code: str) -> str:
    from matcher.features.languages import LANGUAGE_NAMES

    names = LANGUAGE_NAMES.get(code)
    return names[0].title() if names else code


# --------------------------------------------------------------------------- requirements


def _describe_education(opt: EducationOption) -> str:
    if opt.min_level is None:
        text = "No degree route"
    else:
        text = ISCED_LABELS.get(opt.min_level, f"ISCED level {opt.min_level}")
        text = text[0].upper() + text[1:]
    if opt.fields:
        text += " in " + ", ".join(opt.fields)
        if opt.related_fields:
            text += " or a related field"
    elif opt.related_fields:
        text += " in a related field"
    if opt.extra_years:
        n = opt.extra_years
        text += f", plus {n:g} further year{'' if n == 1 else 's'} of experience"
    return text


def _describe_experience(req: ExperienceRequirement) -> str:
    text = f"{_n_years(req.min_years)} of {req.kind or 'professional'} experience"
    if req.min_years_by_level:
        by = "; ".join(
            f"{ISCED_LABELS.get(level, f'level {level}')}: {_n_years(years)}"
            for level, years in sorted(req.min_years_by_level.items())
        )
        text += f" ({by})"
    return text


def _describe_language(req: LanguageRequirement | LanguageChoice) -> str:
    level = f" at {req.level}" if req.level else ""
    if isinstance(req, LanguageChoice):
        names = ", ".join(_language_name(c) for c in req.languages)
        return f"{req.k} of {names}{level}"
    return f"{_language_name(req.language)}{level}"


def _requirement_rows(vacancy: Vacancy) -> list[tuple[str, str, str, str]]:
    """(kind, requirement, mandatory/desirable, evidence) for every parsed requirement."""
    req = vacancy.requirements
    if req is None:
        return []
    rows: list[tuple[str, str, str, str]] = []

    def ev(item: Any) -> str:
        evidence = getattr(item, "evidence", None)
        return evidence.text if evidence is not None else ""

    for opt in req.education:
        rows.append(("Education", _describe_education(opt), "Mandatory", ev(opt)))
    for opt in req.education_preferred:
        rows.append(("Education", _describe_education(opt), "Desirable", ev(opt)))
    for exp in req.experience:
        rows.append(
            (
                "Experience",
                _describe_experience(exp),
                "Mandatory" if exp.mandatory else "Desirable",
                ev(exp),
            )
        )
    for exp in req.experience_preferred:
        rows.append(("Experience", _describe_experience(exp), "Desirable", ev(exp)))
    for lang in req.languages:
        rows.append(
            (
                "Language",
                _describe_language(lang),
                "Mandatory" if lang.required else "Desirable",
                ev(lang),
            )
        )
    for choice in req.language_choices:
        rows.append(
            (
                "Language",
                _describe_language(choice),
                "Mandatory" if choice.required else "Desirable",
                ev(choice),
            )
        )
    for item in req.competencies:  # weighed in the score, never a pass/fail gate
        status = "Required" if item.required else "Desirable"
        rows.append(("Competency", item.text, f"{status}, assessed in the score", ev(item)))
    for item in req.other:
        kind = (item.category or "Other").capitalize()
        rows.append((kind, item.text, "Mandatory" if item.required else "Desirable", ev(item)))
    return rows


# --------------------------------------------------------------------------- SVG charts


def _svg_waterfall(parts: Sequence[ScorePart], score: float, *, label: str) -> str:
    """Horizontal waterfall: each part's bar starts where the previous ended; the last bar is the
    score. Returned with a text equivalent (the parts table is printed next to it)."""
    rows: list[tuple[str, float, float, bool]] = []  # (name, start, end, is_total)
    cum = 0.0
    for part in parts:
        rows.append((part.name, cum, cum + part.contribution, False))
        cum += part.contribution
    rows.append(("score", 0.0, score, True))
    lo = min(0.0, *(min(a, b) for _, a, b, _ in rows))
    hi = max(1.0, *(max(a, b) for _, a, b, _ in rows))
    label_w, plot_w, value_w, row_h, top = 190, 320, 70, 24, 8
    width = label_w + plot_w + value_w
    height = top + row_h * len(rows) + 24

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    out = [
        f'<svg class="waterfall" role="img" aria-label="{_e(label)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_e(label)}</title>'
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        if lo <= tick <= hi:
            tx = x(tick)
            out.append(
                f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{height - 20}" class="grid"/>'
                f'<text x="{tx:.1f}" y="{height - 6}" class="tick" text-anchor="middle">'
                f"{tick:g}</text>"
            )
    for i, (name, a, b, total) in enumerate(rows):
        y = top + i * row_h
        x0, x1 = sorted((x(a), x(b)))
        cls = "total" if total else ("neg" if b < a else "pos")
        delta = b - a
        value = f"{b:.3f}" if total else f"{delta:+.3f}"
        bar = (
            f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 1.0):.1f}" height="{row_h - 8}" '
            f'class="{cls}"><title>{_e(name)}: {_e(value)}</title></rect>'
            if b != a or total
            else ""  # a part that adds nothing draws nothing
        )
        out.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" class="lab">'
            f"{_e(name, limit=28)}</text>{bar}"
            f'<text x="{label_w + plot_w + 6}" y="{y + 16}" class="val">{_e(value)}</text>'
        )
        if not total and i + 1 < len(rows):  # connector to the next bar
            out.append(
                f'<line x1="{x(b):.1f}" y1="{y + row_h - 4}" x2="{x(b):.1f}" y2="{y + row_h + 4}" '
                'class="conn"/>'
            )
    out.append("</svg>")
    return "".join(out)


def _svg_distribution(results: Sequence[MatchResult]) -> str:
    """Histogram of scores in 20 bins over [0, 1], stacked by eligibility, legend in words."""
    bins = 20
    counts = {k: [0] * bins for k in _VERDICTS}
    for r in results:
        b = min(int(max(0.0, min(1.0, r.score)) * bins), bins - 1)
        counts.setdefault(r.eligibility, [0] * bins)[b] += 1
    peak = max((sum(c[i] for c in counts.values()) for i in range(bins)), default=0)
    peak = max(peak, 1)
    left, plot_w, plot_h, top, bottom = 40, 560, 180, 10, 60
    width, height = left + plot_w + 20, top + plot_h + bottom
    bw = plot_w / bins
    n = {k: sum(v) for k, v in counts.items()}
    summary = f"Histogram of {len(results)} scores: " + ", ".join(
        f"{n.get(k, 0)} {k}" for k in _VERDICTS
    )
    out = [
        f'<svg class="dist" role="img" aria-label="{_e(summary)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{_e(summary)}</title>"
    ]
    step = max(1, math.ceil(peak / 5))
    for v in range(0, peak + 1, step):
        y = top + plot_h - v / peak * plot_h
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{v}</text>'
        )
    for i in range(bins):
        base = 0
        for k in _VERDICTS:
            c = counts[k][i]
            if not c:
                continue
            y = top + plot_h - (base + c) / peak * plot_h
            h = c / peak * plot_h
            lo_, hi_ = i / bins, (i + 1) / bins
            out.append(
                f'<rect x="{left + i * bw + 1:.1f}" y="{y:.1f}" width="{bw - 2:.1f}" '
                f'height="{h:.1f}" fill="{_ELIGIBILITY_FILL[k]}" class="bar-{k}">'
                f"<title>{c} {k}, score {lo_:.2f}\u2013{hi_:.2f}</title></rect>"
            )
            base += c
    for t in range(0, 11, 2):
        tx = left + t / 10 * plot_w
        out.append(
            f'<text x="{tx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" class="tick">'
            f"{t / 10:g}</text>"
        )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 32}" text-anchor="middle" '
        'class="lab">score</text>'
    )
    lx = left
    for k in _VERDICTS:
        out.append(
            f'<rect x="{lx}" y="{height - 16}" width="12" height="12" '
            f'fill="{_ELIGIBILITY_FILL[k]}"/>'
            f'<text x="{lx + 16}" y="{height - 6}" class="lab">{_ELIGIBILITY_LABEL[k]} '
            f"({n.get(k, 0)})</text>"
        )
        lx += 150
    out.append("</svg>")
    return "".join(out)


def _svg_profile(profile: Mapping[str, Any]) -> str:
    """Bar chart of an allocation profile (1st / 2nd / 3rd choice / outside / unplaced)."""
    items = [(str(k), float(v)) for k, v in profile.items() if isinstance(v, (int, float))]
    if not items:
        return ""
    peak = max(max(v for _, v in items), 1.0)
    label_w, plot_w, row_h = 120, 360, 24
    width, height = label_w + plot_w + 60, row_h * len(items) + 8
    summary = "Allocation profile: " + ", ".join(f"{k} {v:g}" for k, v in items)
    out = [
        f'<svg class="profile" role="img" aria-label="{_e(summary)}" '
        f'viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{_e(summary)}</title>"
    ]
    for i, (k, v) in enumerate(items):
        y = 4 + i * row_h
        w = v / peak * plot_w
        out.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" class="lab">{_e(k)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1):.1f}" height="{row_h - 6}" '
            'class="pos"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" class="val">{v:g}</text>'
        )
    out.append("</svg>")
    return "".join(out)


# --------------------------------------------------------------------------- HTML pieces


def _badge(eligibility: str) -> str:
    key = eligibility if eligibility in _ELIGIBILITY_LABEL else "unknown"
    return (
        f'<span class="badge badge-{key}"><span aria-hidden="true">{_ELIGIBILITY_MARK[key]}</span> '
        f"{_ELIGIBILITY_LABEL[key]}</span>"
    )


def _status(status: str) -> str:
    key = status if status in _STATUS_LABEL else "unknown"
    return (
        f'<span class="status status-{key}"><span aria-hidden="true">{_STATUS_MARK[key]}</span> '
        f"{_STATUS_LABEL[key]}</span>"
    )


def _table_from_records(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, caption: str = "", cls: str = ""
) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = list(row)
        first = f'<th scope="row">{_e(cells[0])}</th>' if cells else ""
        body.append("<tr>" + first + "".join(f"<td>{_e(c)}</td>" for c in cells[1:]) + "</tr>")
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    return (
        f'<div class="scroll"><table class="{cls}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _frame_html(obj: Any, *, caption: str = "", max_rows: int = 500) -> str:
    """Any tabular thing (DataFrame, object with ``to_frame()``, mapping, list of records) as an
    escaped table; anything else as escaped preformatted text."""
    if hasattr(obj, "to_frame") and not hasattr(obj, "columns"):
        try:
            obj = obj.to_frame()
        except Exception:  # noqa: BLE001 - a report must not die on a display helper
            obj = str(obj)
    if hasattr(obj, "columns") and hasattr(obj, "itertuples"):
        frame = obj
        index_name = None
        if not _is_default_index(frame):
            index_name = frame.index.name or ""
            frame = frame.reset_index()
            if index_name == "":
                frame = frame.rename(columns={frame.columns[0]: ""})
        headers = [str(c).replace("_", " ") for c in frame.columns]
        rows = [[_cell(v) for v in row] for row in frame.head(max_rows).itertuples(index=False)]
        note = ""
        if len(frame) > max_rows:
            note = f'<p class="note">First {max_rows} of {len(frame)} rows shown.</p>'
        return _table_from_records(headers, rows, caption=caption) + note
    if isinstance(obj, Mapping):
        return _table_from_records(
            ["", "value"], [(str(k), _cell(v)) for k, v in obj.items()], caption=caption
        )
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return _table_from_records(
            ["field", "value"],
            [(f.name, _cell(getattr(obj, f.name))) for f in dataclasses.fields(obj)],
            caption=caption,
        )
    return f"<pre>{_e(obj)}</pre>"


def _is_default_index(frame: Any) -> bool:
    index = frame.index
    try:
        return index.name is None and list(index) == list(range(len(frame)))
    except Exception:  # noqa: BLE001
        return True


def _cell(v: Any) -> str:
    if v is None or type(v).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        return f"{v:.3f}" if abs(v) < 1000 else f"{v:,.0f}"
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            return _cell(v.item())
        except (AttributeError, ValueError, TypeError):
            pass
    return str(v)


def _html_id(prefix: str, i: int, text: str) -> str:
    return f"{prefix}-{i}-" + re.sub(r"[^A-Za-z0-9_-]+", "-", text)[:40].strip("-")


_CSS = """
:root{--fg:#1a1a1a;--muted:#4a4a4a;--bg:#fff;--line:#c8c8c8;--accent:#0b4f8a;--soft:#f4f6f8}
*{box-sizing:border-box}
html{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;
color:var(--fg);background:var(--bg)}
body{margin:0}
.skip{position:absolute;left:-999px;top:0;background:#000;color:#fff;padding:.5em 1em;z-index:9}
.skip:focus{left:0}
header[role=banner],main,footer{max-width:1100px;margin:0 auto;padding:0 1.2rem}
header[role=banner]{padding-top:1rem;border-bottom:3px solid var(--accent)}
h1{font-size:1.6rem;margin:.3em 0}
h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1.1rem;margin:1.2rem 0 .4rem}
h4{font-size:1rem;margin:1rem 0 .3rem}
.meta{color:var(--muted);margin:.2em 0}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem 1rem;padding:0;margin:.6rem 0}
a{color:var(--accent)}
a:focus,summary:focus,[tabindex]:focus{outline:3px solid #f2a900;outline-offset:2px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.93rem}
caption{text-align:left;font-weight:600;padding:.3em 0}
th,td{border:1px solid var(--line);padding:.3em .5em;text-align:left;vertical-align:top}
thead th{background:#e8ecf1}
tbody th{font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.badge,.status{display:inline-block;padding:.05em .5em;border-radius:.8em;font-weight:600;
font-size:.88em;white-space:nowrap;border:1px solid currentColor}
.badge-eligible,.status-pass{color:#0d5c2b;background:#e3f4e8}
.badge-unknown,.status-unknown{color:#6b4100;background:#fff1d1}
.badge-ineligible,.status-fail{color:#9c1c16;background:#fde7e6}
.bar{display:inline-block;height:.7em;background:var(--accent);vertical-align:middle;
margin-right:.4em}
details.candidate{border:1px solid var(--line);border-radius:6px;margin:.6rem 0;padding:0 .8rem}
details.candidate>summary{cursor:pointer;padding:.55rem 0;font-weight:600;
list-style-position:outside}
details.candidate[open]>summary{border-bottom:1px solid var(--line);margin-bottom:.4rem}
.rank{display:inline-block;min-width:2.5em;color:var(--muted)}
blockquote,.quote{margin:0;padding:.1em .5em;border-left:3px solid var(--line);color:#2b2b2b;
background:var(--soft);white-space:pre-wrap;overflow-wrap:anywhere}
.note{color:var(--muted);font-size:.9em}
table.checks td:nth-child(3){min-width:12em}
table.checks td:last-child,table.duties td:last-child{min-width:16em}
details.explanation{margin:.4rem 0}
details.explanation>summary{cursor:pointer;color:var(--accent)}
.decision{background:#eef3ff;border-left:4px solid #2a4d9b;padding:.3em .6em;margin:.3em 0}
.warn{background:#fff6e0;border-left:4px solid #b26b00;padding:.4em .7em;margin:.5em 0}
.error{background:#fde7e6;border-left:4px solid #9c1c16;padding:.4em .7em}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:.6rem 0}
.card{border:1px solid var(--line);border-radius:6px;padding:.5rem .9rem;min-width:9rem}
.card b{display:block;font-size:1.5rem}
svg{max-width:100%;height:auto;font:12px system-ui,Arial,sans-serif}
svg .grid{stroke:#d9d9d9;stroke-width:1}
svg .tick{fill:#4a4a4a}
svg .lab{fill:#1a1a1a}
svg .val{fill:#1a1a1a;font-variant-numeric:tabular-nums}
svg .pos{fill:#2f6fb0}
svg .neg{fill:#b3261e}
svg .total{fill:#0b3d6b}
svg .conn{stroke:#777;stroke-dasharray:2 2}
.two{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1rem}
@media (max-width:800px){.two{grid-template-columns:1fr}}
@media print{
 html{font-size:11pt}
 nav,.skip{display:none}
 a{color:inherit;text-decoration:none}
 details.candidate{break-inside:avoid-page;border:0;border-top:1px solid #999;padding:0}
 details::details-content{content-visibility:visible;display:block}
 details>summary{list-style:none}
 h2{break-after:avoid}
 table,svg{break-inside:avoid}
 .scroll{overflow:visible}
}
"""


# --------------------------------------------------------------------------- the document


def render_report(
    vacancy: Vacancy,
    results: Iterable[MatchResult],
    *,
    ranking: Any = None,
    allocation: Any = None,
    impact: Any = None,
    sensitivity: Any = None,
    title: str | None = None,
    errors: Mapping[str, str] | None = None,
    profiles: Mapping[str, CandidateProfile] | None = None,
    blind: bool = True,
    generated: str | None = None,
    open_top: int = 0,
    max_candidates: int | None = 500,
) -> str:
    """One self-contained HTML shortlist for ``vacancy``.

    ``results`` are the :class:`MatchResult` of each candidate; ``ranking`` (the frame of
    ``Matcher.rank``) fixes the order when given, and its rows with an ``error`` set are listed as
    CVs that could not be read, as are ``errors`` (candidate id or file -> message). ``allocation``
    (a :class:`matcher.Allocation`), ``impact`` (from :func:`matcher.impact_report`) and
    ``sensitivity`` (from :func:`matcher.sensitivity_report`) add their sections. ``profiles``
    (id -> :class:`CandidateProfile`) are used only to redact personal data from CV quotes; with
    ``blind=False`` the candidate's name is shown next to the id. ``generated`` is a free text
    stamp (for example the time of the run); the output is otherwise deterministic.
    Candidate sections start closed (the first ``open_top`` start opened); only the first
    ``max_candidates`` are listed (the counts and the score distribution cover the whole pool).
    """
    if hasattr(results, "columns"):
        raise ConfigError(
            "render_report: results must be MatchResult records (Matcher.score); pass the "
            "ranking DataFrame as ranking="
        )
    results = list(results)
    bad = sorted({type(r).__name__ for r in results if not isinstance(r, MatchResult)})
    if bad:
        raise ConfigError(f"render_report: results must be MatchResult records, not {bad}")
    if max_candidates is not None and max_candidates < 1:
        raise ConfigError(f"render_report: max_candidates={max_candidates} must be >= 1")
    redact = _Redactor(profiles, blind=blind)
    ordered = _order(results, ranking)
    shown = ordered if max_candidates is None else ordered[:max_candidates]
    errors_all = dict(errors or {})
    errors_all.update(_ranking_errors(ranking, {r.candidate_id for r in results}))
    decisions = _decisions(ranking)

    page_title = title or f"Shortlist: {vacancy.title or vacancy.id}"
    sections: list[tuple[str, str, str]] = []  # (id, heading, html)
    summary = _summary_section(vacancy, ordered, errors_all, redact)
    review = vacancy.requirements.review if vacancy.requirements is not None else None
    if review is not None:
        summary += (
            f'<p class="review">Requirements reviewed by {_e(review.reviewed_by)} '
            f"({len(review.changes)} change(s) from the extraction; see "
            '<a href="#requirements">Requirements of the vacancy</a>).</p>'
        )
    if decisions:
        summary += (
            f'<p class="decision">{len(decisions)} panel decision(s) override the computed '
            "eligibility; the ranking applies them and each candidate shows who decided and why."
            "</p>"
        )
    sections.append(("summary", "Summary", summary))
    cut = ""
    if len(shown) < len(ordered):
        cut = (
            f'<p class="note">The first {len(shown)} of {len(ordered)} candidates are shown; the '
            "ranking file lists them all.</p>"
        )
    sections.append(
        (
            "shortlist",
            "Ranked candidates",
            _shortlist_section(shown, redact, profiles, decisions) + cut,
        )
    )
    sections.append(("requirements", "Requirements of the vacancy", _requirements_section(vacancy)))
    sections.append(
        (
            "candidates",
            "Candidate details",
            _candidates_section(
                shown, vacancy, redact, profiles, open_top=open_top, decisions=decisions
            )
            + cut,
        )
    )
    if sensitivity is not None:
        sections.append(("sensitivity", "How close the call is", _sensitivity_section(sensitivity)))
    if impact is not None:
        sections.append(("impact", "Adverse-impact summary", _impact_section(impact)))
    if allocation is not None:
        sections.append(("allocation", "Allocation", _allocation_section(allocation, redact)))
    if errors_all:
        sections.append(("errors", "CVs that could not be read", _errors_section(errors_all)))
    sections.append(("method", "How to read this report", _method_section(blind)))

    from matcher import __version__

    nav = "".join(f'<li><a href="#{sid}">{_e(head)}</a></li>' for sid, head, _ in sections)
    body = "".join(
        f'<section id="{sid}" aria-labelledby="{sid}-h"><h2 id="{sid}-h">{_e(head)}</h2>'
        f"{content}</section>"
        for sid, head, content in sections
    )
    meta_bits = [f"Vacancy {vacancy.id}"]
    for value in (vacancy.organisation, vacancy.department, vacancy.unit):
        if value:
            meta_bits.append(value)
    for key in ("Grade", "Location", "Closing Date"):
        if vacancy.metadata.get(key):
            meta_bits.append(f"{key}: {vacancy.metadata[key]}")
    stamp = f"matcher {__version__}" + (f", {generated}" if generated else "")
    meta_line = " \u00b7 ".join(meta_bits)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="color-scheme" content="light">'
        f'<meta name="generator" content="{_e(stamp)}">'
        f"<title>{_e(page_title)}</title><style>{_CSS}</style></head><body>"
        '<a class="skip" href="#main">Skip to content</a>'
        f'<header role="banner"><h1>{_e(page_title)}</h1>'
        f'<p class="meta">{_e(meta_line)}</p>'
        f'<p class="meta">{"Blind review: candidates are shown by id only." if blind else ""}'
        f" Generated by {_e(stamp)}.</p>"
        f'<nav aria-label="Report sections"><ul>{nav}</ul></nav></header>'
        f'<main id="main" tabindex="-1">{body}</main>'
        '<footer role="contentinfo"><p class="note">This report supports, and does not replace, '
        "the judgement of the selection panel. Scores rank candidates for reading order; "
        "eligibility "
        "follows the stated requirements and every unknown needs a human check.</p></footer>"
        "</body></html>\n"
    )


def write_report(
    path: str | os.PathLike[str], vacancy: Vacancy, results: Iterable[MatchResult], **options: Any
) -> Path:
    """Render and write the report to ``path`` atomically (temporary file, then rename)."""
    page = render_report(vacancy, results, **options)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(page)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def shortlist_report(
    matcher: Matcher,
    vacancy: Vacancy | str | os.PathLike[str],
    cvs: Any,
    *,
    out: str | os.PathLike[str] | None = None,
    audit: AuditLog | None = None,
    **options: Any,
) -> str:
    """The HTML shortlist of a pool: ``matcher`` ranks ``cvs`` once (as :meth:`Matcher.rank`,
    which takes the same ``cvs``), the page shows that ranking; written to ``out`` when given.
    Returns the HTML. ``options`` go to :func:`render_report`."""
    from matcher.features.vacancy import load_vacancy

    if not isinstance(vacancy, Vacancy):
        vacancy = load_vacancy(vacancy)
    frame, results, profiles = matcher.rank_detailed(vacancy, cvs, audit=audit)
    options.setdefault("profiles", {p.id: p for p in profiles})
    if out is None:
        return render_report(vacancy, results, ranking=frame, **options)
    path = write_report(out, vacancy, results, ranking=frame, **options)
    return path.read_text(encoding="utf-8")


def _order(results: list[MatchResult], ranking: Any) -> list[tuple[int, MatchResult]]:
    """(rank, result) in the ranking's order when given, else eligible / unknown / ineligible, then
    by score descending, ties by id (the order of ``Matcher.rank``)."""
    by_id = {r.candidate_id: r for r in results}
    order: list[str] = []
    if ranking is not None and hasattr(ranking, "columns") and "candidate_id" in ranking.columns:
        frame = ranking
        if "rank" in frame.columns:
            frame = frame.sort_values("rank", kind="stable")
        order = [str(c) for c in frame["candidate_id"] if str(c) in by_id]
    seen = set(order)
    rest = sorted(
        (r for r in results if r.candidate_id not in seen),
        key=result_key,
    )
    ordered = [by_id[c] for c in dict.fromkeys(order)] + rest
    return [(i + 1, r) for i, r in enumerate(ordered)]


def _decisions(ranking: Any) -> dict[str, dict[str, str]]:
    """candidate id -> the panel's decision (decision, decided_by, decision_reason,
    computed_eligibility, eligibility) for the rows of a ranking that carry one."""
    cols = ("decision", "decided_by", "decision_reason", "computed_eligibility", "eligibility")
    if ranking is None or not hasattr(ranking, "columns") or "decision" not in ranking.columns:
        return {}
    out: dict[str, dict[str, str]] = {}
    for record in ranking[["candidate_id", *cols]].to_dict("records"):
        if isinstance(record["decision"], str) and record["decision"]:
            out[str(record["candidate_id"])] = {c: str(record[c]) for c in cols}
    return out


def _decision_html(d: Mapping[str, str] | None) -> str:
    """The panel's decision beside the computed eligibility, with who and why."""
    if not d:
        return ""
    return (
        f'<div class="decision"><strong>Panel decision: {_e(d["decision"])}</strong> '
        f'(computed: {_e(d["computed_eligibility"])}) by {_e(d["decided_by"])}: '
        f'\u201c{_e(d["decision_reason"], limit=300)}\u201d</div>'
    )


def _ranking_errors(ranking: Any, known: set[str]) -> dict[str, str]:
    if ranking is None or not hasattr(ranking, "columns") or "error" not in ranking.columns:
        return {}
    out: dict[str, str] = {}
    for cid, err in zip(ranking["candidate_id"], ranking["error"], strict=True):
        if isinstance(err, str) and err and str(cid) not in known:
            out[str(cid)] = err
    return out


def _summary_section(
    vacancy: Vacancy,
    ordered: list[tuple[int, MatchResult]],
    errors: Mapping[str, str],
    redact: _Redactor,
) -> str:
    counts = {k: 0 for k in _VERDICTS}
    for _, r in ordered:
        counts[r.eligibility if r.eligibility in counts else "unknown"] += 1
    cards = [f'<div class="card"><b>{len(ordered) + len(errors)}</b>CVs received</div>']
    for k in _VERDICTS:
        cards.append(f'<div class="card"><b>{counts[k]}</b>{_badge(k)}</div>')
    if errors:
        cards.append(f'<div class="card"><b>{len(errors)}</b>could not be read</div>')
    parts = [f'<div class="cards">{"".join(cards)}</div>']
    if redact.blind and redact.ids_with_names:
        parts.append(
            '<p class="warn">Blind review is weakened: the ids of '
            f"{len(redact.ids_with_names)} candidate(s) contain their names (CV files named "
            "after their owners). Rename the files, or give the CVs neutral ids, before the "
            "panel reads this report.</p>"
        )
    if vacancy.warnings:
        parts.append(
            '<div class="warn"><p><strong>Warnings about the vacancy notice:</strong></p><ul>'
            + "".join(f"<li>{_e(w)}</li>" for w in vacancy.warnings)
            + "</ul></div>"
        )
    if ordered:
        parts.append("<h3>Score distribution</h3>")
        parts.append(
            f"<figure>{_svg_distribution([r for _, r in ordered])}"
            '<figcaption class="note">Number of candidates per score band of 0.05, '
            "stacked by eligibility.</figcaption></figure>"
        )
    return "".join(parts)


#: characters of the shortlist's "Main reason" column
_REASON_ROOM = 240


def _clause(text: str, room: int) -> str:
    """``text`` within ``room`` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= room:
        return text
    cut = text[: room - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ;,") + "\u2026"


def _top_reason(r: MatchResult, redact: _Redactor) -> str:
    """What decides the verdict, first: the failing checks (else the open ones), each as its kind
    and the first clause of its reason (reasons start with the finding), then the rest of the
    first check's reason and the items to confirm on the application form, as room allows. Only
    that trailing detail is ever shortened."""
    failing = [c for c in r.checks if c.mandatory and c.status == "fail"]
    unknown = [c for c in r.checks if c.mandatory and c.status == "unknown"]
    picked = (failing or unknown)[:3]
    confirm = to_confirm(r.checks)
    tail = f"to confirm on the application form: {confirm}" if confirm else ""
    if picked:
        room = _REASON_ROOM // len(picked)
        heads = [
            _clause(redact(f"{c.kind}: {c.reason.split('; ')[0]}", r.candidate_id), room)
            for c in picked
        ]
        text = "; ".join(heads)
        rest = "; ".join(picked[0].reason.split("; ")[1:])
        if len(picked) == 1 and rest:
            left = _REASON_ROOM - len(text) - 2
            if left > 20:
                text += "; " + _clause(redact(rest, r.candidate_id), left)
        if tail and len(text) + len(tail) + 2 <= _REASON_ROOM:
            text += "; " + tail
        return text
    evidenced = [d for d in r.duty_matches if d.cv_sentence and not d.discounted]
    if evidenced:
        best = max(evidenced, key=lambda d: (d.similarity, d.duty))
        text = redact(
            f"strongest duty evidence ({best.similarity:.2f}): \u201c{best.cv_sentence}\u201d",
            r.candidate_id,
        )
        if tail:
            return _clause(text, _REASON_ROOM - len(tail) - 2) + "; " + tail
        return _clause(text, _REASON_ROOM)
    return tail


def _shortlist_section(
    ordered: list[tuple[int, MatchResult]],
    redact: _Redactor,
    profiles: Mapping[str, CandidateProfile] | None,
    decisions: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    if not ordered:
        return "<p>No candidate could be scored.</p>"
    rows = []
    for i, (rank, r) in enumerate(ordered):
        anchor = _html_id("cand", i, r.candidate_id)
        name = redact.name(r.candidate_id, profiles)
        who = _e(r.candidate_id) + (f' <span class="note">({_e(name)})</span>' if name else "")
        decided = (decisions or {}).get(r.candidate_id)  # the panel's word replaces the badge
        width = max(0.0, min(1.0, r.score)) * 80
        lead = "\u2013"
        if i + 1 < len(ordered) and ordered[i + 1][1].eligibility == r.eligibility:
            gap = r.score - ordered[i + 1][1].score
            lead = f"{gap:+.3f}" + (" close call" if gap < CLOSE_CALL else "")
        rows.append(
            f'<tr><td class="num">{rank}</td>'
            f'<th scope="row"><a href="#{anchor}-h">{who}</a></th>'
            f"<td>{_badge(decided['eligibility'] if decided else r.eligibility)}"
            f"{_decision_html(decided)}</td>"
            f'<td class="num"><span class="bar" style="width:{width:.0f}px" aria-hidden="true">'
            f"</span>{_fmt(r.score)}</td>"
            f'<td class="num">{_e(lead)}</td>'
            f"<td>{_e(_top_reason(r, redact))}</td></tr>"
        )
    return (
        '<div class="scroll"><table class="shortlist"><caption>Candidates in ranking order: '
        "eligible first, then unknown, then ineligible; by score within each group. The lead is "
        f"the score above the next candidate of the same group (under {CLOSE_CALL:g}: a close "
        "call).</caption><thead><tr>"
        '<th scope="col" class="num">Rank</th><th scope="col">Candidate</th>'
        '<th scope="col">Eligibility</th><th scope="col" class="num">Score</th>'
        '<th scope="col" class="num">Lead</th><th scope="col">Main reason</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div>"
    )


def _requirements_section(vacancy: Vacancy) -> str:
    parts: list[str] = []
    if vacancy.background:
        parts.append(f"<h3>Background</h3><p>{_e(vacancy.background, limit=1500)}</p>")
    if vacancy.duties:
        parts.append(
            "<h3>Duties</h3><ol>" + "".join(f"<li>{_e(d)}</li>" for d in vacancy.duties) + "</ol>"
        )
    review = vacancy.requirements.review if vacancy.requirements is not None else None
    if review is None:
        parts.append("<h3>Qualifications as parsed</h3>")
    else:
        parts.append("<h3>Qualifications as reviewed</h3>" + _review_html(review))
    rows = _requirement_rows(vacancy)
    if rows:
        parts.append(
            _table_from_records(
                ["Kind", "Requirement", "Status", "Evidence in the notice"],
                rows,
                caption="Each requirement with the words of the notice it was read from.",
                cls="requirements",
            )
        )
    elif vacancy.requirements is None:
        parts.append('<p class="warn">Requirements were not extracted for this vacancy.</p>')
    else:
        parts.append('<p class="warn">No checkable requirement was found in the notice.</p>')
    if vacancy.requirements is not None and vacancy.requirements.warnings:
        parts.append(
            '<div class="warn"><ul>'
            + "".join(f"<li>{_e(w)}</li>" for w in vacancy.requirements.warnings)
            + "</ul></div>"
        )
    if vacancy.qualifications:
        parts.append(
            "<details><summary>Qualifications text of the notice</summary>"
            f'<div class="quote">{_e(vacancy.qualifications)}</div></details>'
        )
    return "".join(parts)


def _review_html(review: Any) -> str:
    """Who reviewed the requirements and what they changed from the extraction."""
    when = f" on {_e(review.reviewed_on)}" if review.reviewed_on else ""
    head = (
        f'<p class="review">Requirements reviewed by <strong>{_e(review.reviewed_by)}</strong>'
        f"{when} (file {_e(Path(review.source).name)}); the checks below use the reviewed "
        "requirements, not the extraction.</p>"
    )
    if review.note:
        head += f"<p>{_e(review.note)}</p>"
    if not review.changes:
        return head + "<p>No change from the extraction.</p>"
    return (
        head
        + f"<p>{len(review.changes)} change(s) from the extraction:</p><ul class=\"changes\">"
        + "".join(f"<li>{_e(c)}</li>" for c in review.changes)
        + "</ul>"
    )


def _checks_table(r: MatchResult, redact: _Redactor) -> str:
    if not r.checks:
        return '<p class="note">No requirement was checked.</p>'
    rows = []
    for c in r.checks:
        rows.append(_check_row(c, r.candidate_id, redact))
    return (
        f'<div class="scroll"><table class="checks"><caption>Requirement checks for '
        f"{_e(r.candidate_id)}</caption><thead><tr>"
        '<th scope="col">Requirement</th><th scope="col">Status</th><th scope="col">Reason</th>'
        '<th scope="col">In the vacancy</th><th scope="col">In the CV</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div>"
    )


def _check_row(c: Check, cid: str, redact: _Redactor) -> str:
    kind = f' <span class="note">({_e(c.kind)}{"" if c.mandatory else ", desirable"})</span>'
    vac = _e(c.vacancy_evidence.text, limit=_MAX_QUOTE) if c.vacancy_evidence else ""
    cv = "".join(
        f'<div class="quote">{_e(redact(ev.text, cid), limit=_MAX_QUOTE)}</div>'
        for ev in c.cv_evidence
    )
    return (
        f'<tr><th scope="row">{_e(c.requirement)}{kind}</th><td>{_status(c.status)}</td>'
        f"<td>{_e(redact(c.reason, cid))}</td><td>{vac}</td><td>{cv}</td></tr>"
    )


def _duties_table(r: MatchResult, vacancy: Vacancy, redact: _Redactor) -> str:
    if not r.duty_matches:
        return '<p class="note">No duty-by-duty evidence.</p>'
    rows = []
    for d in r.duty_matches:
        rows.append(_duty_row(d, r.candidate_id, redact))
    return (
        '<div class="scroll"><table class="duties"><caption>Best CV evidence for each duty of the '
        "vacancy</caption><thead><tr>"
        '<th scope="col">Duty</th><th scope="col" class="num">Similarity</th>'
        '<th scope="col">Best CV sentence</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div>"
    )


def _duty_row(d: DutyMatch, cid: str, redact: _Redactor) -> str:
    note = ""
    if d.discounted:
        note = (
            '<div class="warn">Discounted: this sentence copies the vacancy text almost '
            "verbatim.</div>"
        )
    src = f' <span class="note">({_e(d.source)})</span>' if d.source else ""
    return (
        f'<tr><th scope="row">{_e(d.duty, limit=400)}</th>'
        f'<td class="num">{_fmt(d.similarity, 2)}</td>'
        f'<td><div class="quote">{_e(redact(d.cv_sentence, cid), limit=_MAX_QUOTE)}</div>'
        f"{src}{note}</td></tr>"
    )


def _parts_html(r: MatchResult, redact: _Redactor) -> str:
    if not r.parts:
        return '<p class="note">No score breakdown.</p>'
    total = sum(p.contribution for p in r.parts)
    label = (
        f"Score of {r.candidate_id}: "
        + ", ".join(f"{p.name} {p.contribution:+.3f}" for p in r.parts)
        + f" = {r.score:.3f}"
    )
    rows = "".join(
        f'<tr><th scope="row">{_e(p.name)}</th><td class="num">{_fmt(p.weight)}</td>'
        f'<td class="num">{_fmt(p.value)}</td><td class="num">{_fmt(p.contribution)}</td>'
        f"<td>{_e(redact(p.detail, r.candidate_id), limit=300)}</td></tr>"
        for p in r.parts
    )
    mismatch = ""
    if abs(total - r.score) > 1e-6:
        mismatch = (
            f'<p class="warn">The parts sum to {total:.4f}, not to the score {r.score:.4f}.</p>'
        )
    return (
        f"<figure>{_svg_waterfall(r.parts, r.score, label=label)}"
        '<figcaption class="note">Each bar is one part\'s contribution (weight \u00d7 value); the '
        "last bar is the score they add up to.</figcaption></figure>"
        '<div class="scroll"><table class="parts"><caption>Score parts</caption><thead><tr>'
        '<th scope="col">Part</th><th scope="col" class="num">Weight</th>'
        '<th scope="col" class="num">Value</th><th scope="col" class="num">Contribution</th>'
        f'<th scope="col">Detail</th></tr></thead><tbody>{rows}'
        f'<tr><th scope="row">score</th><td></td><td></td><td class="num">{_fmt(r.score)}</td>'
        f"<td></td></tr></tbody></table></div>{mismatch}"
    )


def _candidates_section(
    ordered: list[tuple[int, MatchResult]],
    vacancy: Vacancy,
    redact: _Redactor,
    profiles: Mapping[str, CandidateProfile] | None,
    *,
    open_top: int,
    decisions: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    if not ordered:
        return "<p>No candidate could be scored.</p>"
    out = []
    for i, (rank, r) in enumerate(ordered):
        anchor = _html_id("cand", i, r.candidate_id)
        name = redact.name(r.candidate_id, profiles)
        who = _e(r.candidate_id) + (f" ({_e(name)})" if name else "")
        is_open = " open" if i < open_top else ""
        inner = [
            f'<h3 id="{anchor}-h">{who}</h3>',
            f"<p>{_badge(r.eligibility)} score <strong>{_fmt(r.score)}</strong>, rank {rank} of "
            f"{len(ordered)}.</p>",
        ]
        decided = (decisions or {}).get(r.candidate_id)
        if decided:
            inner.append(_decision_html(decided))
        if r.explanation:
            inner.append(
                '<details class="explanation"><summary>The explanation as text</summary>'
                f'<div class="quote">{_e(redact(r.explanation, r.candidate_id), limit=6000)}</div>'
                "</details>"
            )
        if r.warnings:
            inner.append(
                '<div class="warn"><ul>'
                + "".join(f"<li>{_e(redact(w, r.candidate_id))}</li>" for w in r.warnings)
                + "</ul></div>"
            )
        inner.append("<h4>Eligibility checks</h4>" + _checks_table(r, redact))
        inner.append("<h4>Duties</h4>" + _duties_table(r, vacancy, redact))
        inner.append("<h4>Score</h4>" + _parts_html(r, redact))
        out.append(
            f'<details class="candidate" id="{anchor}"{is_open}>'
            f'<summary><span class="rank">#{rank}</span> {who} {_badge(r.eligibility)} '
            f"score {_fmt(r.score)}"
            + (f" \u2192 panel decision: {_e(decided['decision'])}" if decided else "")
            + "</summary>"
            f'<div class="body" role="group" aria-labelledby="{anchor}-h">{"".join(inner)}</div>'
            "</details>"
        )
    return (
        '<p class="note">Open a candidate (Enter or Space on the summary line) to see every check, '
        "the evidence for each duty and how the score is made.</p>" + "".join(out)
    )


_IMPACT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("attribute", "Attribute"),
    ("group", "Group"),
    ("n", "Candidates"),
    ("selected", "Selected"),
    ("selection_rate", "Selection rate"),
    ("impact_ratio", "Impact ratio"),
    ("four_fifths_flag", "Four-fifths rule"),
    ("scoring_rate", "Scoring rate"),
    ("scoring_impact_ratio", "Scoring impact ratio"),
    ("scoring_flag", "Scoring four-fifths"),
    ("p_value", "p-value"),
    ("note", "Note"),
)


def _impact_section(impact: Any) -> str:
    """The table of :func:`matcher.impact_report` (any other table is shown as it is)."""
    parts = [
        '<p class="note">Selection and scoring rates per group and the impact ratio against the '
        "group with the highest rate. A ratio under the threshold (the four-fifths rule) is "
        "flagged and needs a human review; groups too small to judge are reported as such.</p>"
    ]
    columns = getattr(impact, "columns", None)
    if columns is None or not {"group", "impact_ratio"} <= {str(c) for c in columns}:
        return "".join(parts) + _frame_html(impact, caption="Adverse impact by group")
    attrs = dict(getattr(impact, "attrs", {}) or {})
    facts = []
    if "n_pool" in attrs:
        facts.append(f"{attrs['n_pool']} candidates")
    if "n_selected" in attrs:
        facts.append(f"{attrs['n_selected']} selected")
    if attrs.get("selection_rule"):
        facts.append(f"selection rule: {attrs['selection_rule']}")
    if isinstance(attrs.get("median_score"), float) and not math.isnan(attrs["median_score"]):
        facts.append(f"median score {attrs['median_score']:.3f}")
    if facts:
        parts.append(f"<p>{_e('; '.join(facts))}.</p>")
    threshold = attrs.get("threshold", 0.8)
    flagged = []
    rows = []
    for rec in impact.to_dict("records"):
        name = f"{rec.get('attribute', '')} = {rec.get('group', '')}"
        if bool(rec.get("four_fifths_flag")):
            flagged.append(f"selection rate of {name}")
        if bool(rec.get("scoring_flag")):
            flagged.append(f"scoring rate of {name}")
        row = []
        for key, _ in _IMPACT_COLUMNS:
            v = rec.get(key)
            if key in ("four_fifths_flag", "scoring_flag"):
                small = bool(rec.get("small_group"))
                v = "too small to judge" if small else ("FLAGGED" if bool(v) else "ok")
            elif key == "p_value" and rec.get("test"):
                v = f"{_cell(v)} ({rec['test']})"
            elif key == "group" and bool(rec.get("reference")):
                v = f"{v} (reference)"
            row.append(_cell(v))
        rows.append(row)
    if flagged:
        parts.append(
            f'<p class="warn"><strong>Flagged (impact ratio under {_e(threshold)}):</strong> '
            f"{_e('; '.join(flagged))}. Review these before the shortlist is used.</p>"
        )
    else:
        parts.append(f"<p>No group is flagged (no impact ratio under {_e(threshold)}).</p>")
    parts.append(
        _table_from_records(
            [label for _, label in _IMPACT_COLUMNS],
            rows,
            caption="Adverse impact by group",
            cls="impact",
        )
    )
    return "".join(parts)


def _sensitivity_section(sensitivity: Any) -> str:
    """The table of :func:`matcher.sensitivity_report`: does the top k survive +-20 % weights?"""
    if not hasattr(sensitivity, "to_dict") or not hasattr(sensitivity, "columns"):
        return _frame_html(sensitivity, caption="Sensitivity")
    attrs = dict(getattr(sensitivity, "attrs", {}) or {})
    k = attrs.get("k", "k")
    delta = attrs.get("delta")
    records = sensitivity.to_dict("records")
    moved = [r for r in records if (r.get("topk_changed") or 0) > 0]
    flips = [r for r in records if (r.get("n_flips") or 0) > 0]
    change = f"by {delta:.0%}" if isinstance(delta, float) else "up and down"
    parts = [
        f"<p>Each weight and eligibility threshold of the scoring was moved {_e(change)} in turn "
        f"and the pool re-scored. {len(moved)} of {len(records)} moves change who is in the top "
        f"{_e(k)}; {len(flips)} change someone's eligibility.</p>"
    ]
    if not moved and not flips:
        parts.append("<p>The shortlist is stable under every move.</p>")
    rows = []
    for r in records:
        entered = ", ".join(map(str, r.get("entered") or ())) or "\u2013"
        left = ", ".join(map(str, r.get("left") or ())) or "\u2013"
        flipped = "; ".join(map(str, r.get("eligibility_flips") or ())) or "\u2013"
        rows.append(
            (
                f"{r.get('parameter', '')} {r.get('direction', '')}",
                _cell(r.get("topk_changed")),
                entered,
                left,
                _cell(r.get("max_rank_shift")),
                flipped,
            )
        )
    parts.append(
        _table_from_records(
            [
                "Change",
                f"Top {k} changed",
                "Entered",
                "Left",
                "Largest rank move",
                "Eligibility flips",
            ],
            rows,
            caption="What each change of the scoring does to the shortlist",
            cls="sensitivity",
        )  # fmt: skip
    )
    return "".join(parts)


def _allocation_section(allocation: Any, redact: _Redactor) -> str:
    parts: list[str] = []
    strategy = getattr(allocation, "strategy", None)
    total_fit = getattr(allocation, "total_fit", None)
    facts = []
    if strategy:
        facts.append(f"Strategy: {strategy}")
    if isinstance(total_fit, (int, float)):
        facts.append(f"total fit {total_fit:.3f}")
    if facts:
        parts.append(f"<p>{_e(', '.join(facts))}.</p>")
    profile = getattr(allocation, "profile", None)
    if isinstance(profile, Mapping) and profile:
        parts.append("<h3>Preference profile</h3>")
        parts.append(f"<figure>{_svg_profile(profile)}</figure>")
        parts.append(
            _table_from_records(
                ["Choice given", "Candidates"],
                [(str(k), _cell(v)) for k, v in profile.items()],
                caption="Candidates by the choice they were given",
            )
        )
    parts.append("<h3>Assignments</h3>")
    parts.append(_frame_html(allocation, caption="Who is placed where"))
    explain = getattr(allocation, "explain", None)
    assignments = getattr(allocation, "assignments", None)
    if callable(explain) and isinstance(assignments, Mapping) and assignments:
        items = []
        for cid in sorted(assignments):
            try:
                text = explain(cid)
            except Exception:  # noqa: BLE001 - an explanation must not sink the report
                continue
            items.append(f"<li>{_e(redact(text, cid), limit=1000)}</li>")
        if items:
            parts.append(
                "<details><summary>Why each candidate is placed where they are</summary>"
                f"<ul>{''.join(items)}</ul></details>"
            )
    validity = getattr(allocation, "check_validity", None)
    if callable(validity):
        problems = validity()
        parts.append(
            "<p>Validity certificate: "
            + (_e("; ".join(problems)) if problems else "the allocation is valid.")
            + "</p>"
        )
    return "".join(parts)


def _errors_section(errors: Mapping[str, str]) -> str:
    rows = "".join(
        f'<tr><th scope="row">{_e(k)}</th><td>{_e(v, limit=500)}</td></tr>'
        for k, v in sorted(errors.items())
    )
    return (
        '<p class="error">These CVs were not scored. Read them by hand: a CV that cannot be '
        "parsed is not a reason to reject a candidate.</p>"
        '<div class="scroll"><table class="errors"><thead><tr><th scope="col">CV</th>'
        f'<th scope="col">Problem</th></tr></thead><tbody>{rows}</tbody></table></div>'
    )


def _method_section(blind: bool) -> str:
    blind_text = (
        "Candidates appear by id only; names, contact details, dates of birth, gender and "
        "nationality are not shown and never enter a score."
        if blind
        else "Blind review is OFF: names are shown next to ids. They still never enter a score."
    )
    return (
        "<ul>"
        "<li><strong>Eligibility</strong> is decided by the mandatory checks only: eligible when "
        "every one passes, ineligible when one fails, unknown otherwise. Unknown means the CV does "
        "not say; "
        "it is never a silent pass.</li>"
        "<li><strong>Score</strong> (0 to 1) measures fit with the duties and the desirable "
        "requirements; it is the sum of the parts shown in each candidate's waterfall.</li>"
        "<li><strong>Duty evidence</strong> is the CV sentence most similar in meaning to each "
        "duty; "
        "sentences that copy the vacancy text are discounted.</li>"
        f"<li><strong>Blind review.</strong> {_e(blind_text)}</li>"
        "<li><strong>Human oversight.</strong> The panel decides. Check every unknown and every "
        "close call, and record any override with its reason.</li>"
        "</ul>"
    )
