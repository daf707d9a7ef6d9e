"""Requirements as a document a person reviews: written out, edited, read back and checked.

Extraction is rule-based and can drop or misread a requirement; a panel corrects it once and every
ranking then uses the corrected version instead of re-extracting::

    matcher requirements NOTICE --out req.yaml      # edit it, fill in reviewed_by
    matcher rank NOTICE CVS --requirements req.yaml

The file is YAML (JSON is accepted too: it is YAML). Every problem is reported with its line, the
field and the values allowed. The reviewed requirements carry a :class:`RequirementsReview`
(who reviewed, when, what changed from the extraction), which the report and the audit log show.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from matcher.errors import InputError, MissingDependencyError
from matcher.types import (
    CEFR_LEVELS,
    EducationOption,
    Evidence,
    ExperienceRequirement,
    LanguageChoice,
    LanguageRequirement,
    RequirementItem,
    Requirements,
    RequirementsReview,
    Vacancy,
)

__all__ = [
    "LEVEL_NAMES",
    "RequirementsFileError",
    "apply_requirements",
    "load_requirements",
    "requirements_changes",
    "requirements_document",
    "reviewed_vacancy_id",
    "write_requirements",
]

FORMAT = "matcher-requirements/1"

#: the words a reviewer writes for a degree level (ISCED 2011 underneath)
LEVEL_NAMES: Mapping[str, int | None] = {
    "none": None,
    "secondary": 3,
    "post-secondary": 4,
    "short-cycle": 5,
    "bachelor": 6,
    "master": 7,
    "doctorate": 8,
}
_LEVEL_WORD = {v: k for k, v in LEVEL_NAMES.items()}

#: section -> (fields allowed in an item, required fields)
_SECTIONS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "education": (
        ("level", "fields", "related_fields", "extra_years", "route", "evidence"), ("level",)
    ),
    "education_preferred": (
        ("level", "fields", "related_fields", "extra_years", "route", "evidence"),
        ("level",),
    ),
    "experience": (("years", "years_by_degree", "kind", "mandatory", "evidence"), ("years",)),
    "experience_preferred": (
        ("years", "years_by_degree", "kind", "mandatory", "evidence"),
        ("years",),
    ),
    "languages": (("language", "level", "required", "evidence"), ("language",)),
    "language_choices": (
        ("choose", "languages", "level", "required", "evidence"),
        ("choose", "languages"),
    ),
    "other": (("text", "category", "required", "evidence"), ("text",)),
    "competencies": (("text", "category", "required", "evidence"), ("text",)),
}
_TOP = ("format", "vacancy", "title", "source", "source_sha256", "reviewed_by", "reviewed_on",
        "note", "warnings", *_SECTIONS)  # fmt: skip

_HEADER = """\
# Requirements of {vid} ({title}), extracted by matcher from {source}.
# Review them against the notice: correct, add or delete items, then write your name (or staff id)
# in reviewed_by. `matcher rank/pool/report ... --requirements THIS_FILE` then uses this file
# instead of extracting again; the report and the audit log say who reviewed it and what changed.
#
# Values:  level: {levels}
#          route: degree (the degree only), experience (or equivalent professional experience),
#                 training (or a certified training course / recognised training school)
#          language: two-letter code (en, fr, de, ru ...); level (of a language): {cefr} or empty
#          years_by_degree: the minimum for a candidate holding that degree, e.g. {{bachelor: 4}}
#          required / mandatory: true (a hard requirement) or false (an asset)
#          evidence: the notice's words (kept for the report; write your own for items you add)
"""


class RequirementsFileError(InputError):
    """A requirements file that cannot be used; the message names the line and the field."""


# --------------------------------------------------------------------------- writing


def _ev(ev: Evidence | None) -> str:
    return " ".join(ev.text.split()) if ev is not None else ""


def _n(x: float) -> float | int:
    return int(x) if float(x).is_integer() else float(x)


def _level_word(level: int | None) -> str:
    return _LEVEL_WORD.get(level, str(level))


def _education(o: EducationOption) -> dict[str, Any]:
    return {
        "level": _level_word(o.min_level),
        "fields": list(o.fields),
        "related_fields": o.related_fields,
        "extra_years": _n(o.extra_years),
        "route": o.route,
        "evidence": _ev(o.evidence),
    }


def _experience(x: ExperienceRequirement) -> dict[str, Any]:
    return {
        "years": _n(x.min_years),
        "years_by_degree": {
            _level_word(k): _n(v) for k, v in sorted(x.min_years_by_level.items())
        },
        "kind": x.kind,
        "mandatory": x.mandatory,
        "evidence": _ev(x.evidence),
    }


def _item(x: RequirementItem) -> dict[str, Any]:
    return {
        "text": x.text, "category": x.category, "required": x.required, "evidence": _ev(x.evidence)
    }


def requirements_document(vacancy: Vacancy) -> dict[str, Any]:
    """The requirements of ``vacancy`` as plain data (what :func:`write_requirements` writes)."""
    req = vacancy.requirements or Requirements()
    source = vacancy.source or ""
    digest = _sha256(source)
    return {
        "format": FORMAT,
        "vacancy": vacancy.id,
        "title": vacancy.title,
        "source": source,
        "source_sha256": digest,
        "reviewed_by": "",
        "reviewed_on": "",
        "note": "",
        "warnings": list(req.warnings),
        "education": [_education(o) for o in req.education],
        "education_preferred": [_education(o) for o in req.education_preferred],
        "experience": [_experience(x) for x in req.experience],
        "experience_preferred": [_experience(x) for x in req.experience_preferred],
        "languages": [
            {"language": x.language, "level": x.level, "required": x.required,
             "evidence": _ev(x.evidence)}
            for x in req.languages
        ],  # fmt: skip
        "language_choices": [
            {"choose": c.k, "languages": list(c.languages), "level": c.level,
             "required": c.required, "evidence": _ev(c.evidence)}
            for c in req.language_choices
        ],  # fmt: skip
        "other": [_item(x) for x in req.other],
        "competencies": [_item(x) for x in req.competencies],
    }


def write_requirements(vacancy: Vacancy, out: str | os.PathLike[str]) -> Path:
    """Write the requirements of ``vacancy`` for review: YAML (``.yaml``/``.yml``) or ``.json``."""
    path = Path(out)
    doc = requirements_document(vacancy)
    suffix = path.suffix.lower()
    if suffix == ".json":
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    elif suffix in (".yaml", ".yml"):
        yaml = _yaml()
        header = _HEADER.format(
            vid=vacancy.id, title=vacancy.title or "no title", source=vacancy.source or "text",
            levels=", ".join(LEVEL_NAMES), cefr=", ".join(CEFR_LEVELS),
        )  # fmt: skip
        text = header + yaml.safe_dump(
            doc, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
        )
    else:
        raise InputError(
            f"unsupported format {suffix or '(none)'}; write .yaml, .yml or .json", path=path
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- reading


def _yaml() -> Any:
    try:
        import yaml
    except ImportError as exc:  # pragma: no cover - pyyaml is a dependency
        raise MissingDependencyError("pyyaml", "io") from exc
    return yaml


def _sha256(source: str) -> str:
    try:
        return hashlib.sha256(Path(source).read_bytes()).hexdigest() if source else ""
    except OSError:
        return ""


class _Reader:
    """Plain data from the YAML text, with the line of every value (by its path)."""

    def __init__(self, path: Path) -> None:
        yaml = _yaml()
        self.path = path
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise RequirementsFileError(f"cannot read the file ({exc})", path=path) from exc
        except UnicodeDecodeError as exc:
            raise RequirementsFileError("not UTF-8 text; save it as UTF-8", path=path) from exc
        if not text.strip():
            raise RequirementsFileError(
                "the file is empty; write one with `matcher requirements NOTICE --out FILE`",
                path=path,
            )
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            self.data = loader.construct_document(node) if node is not None else None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise RequirementsFileError(
                f"{where}not valid YAML ({problem}); check the indentation and quote text "
                "containing ': '",
                path=path,
            ) from exc
        finally:
            loader.dispose()
        self.lines: dict[tuple[Any, ...], int] = {}
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: Any, where: tuple[Any, ...]) -> None:
        from yaml.nodes import MappingNode, SequenceNode

        self.lines[where] = node.start_mark.line + 1
        if isinstance(node, MappingNode):
            for key, value in node.value:
                self._walk(value, (*where, key.value))
                self.lines[(*where, key.value)] = key.start_mark.line + 1  # the key's own line
        elif isinstance(node, SequenceNode):
            for i, value in enumerate(node.value):
                self._walk(value, (*where, i))

    def fail(self, where: tuple[Any, ...], message: str) -> RequirementsFileError:
        line = None
        probe = where
        while probe and line is None:
            line = self.lines.get(probe)
            probe = probe[:-1]
        name = ".".join(str(p) if isinstance(p, str) else f"[{p + 1}]" for p in where)
        name = name.replace(".[", "[")
        at = f"line {line}: " if line else ""
        return RequirementsFileError(f"{at}{name}: {message}" if name else f"{at}{message}",
                                     path=self.path)  # fmt: skip


def _bool(r: _Reader, where: tuple[Any, ...], value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    raise r.fail(where, f"{value!r} is not allowed; write true or false")


def _number(r: _Reader, where: tuple[Any, ...], value: Any, default: float | None) -> float:
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or value > 60:
        raise r.fail(where, f"{value!r} is not allowed; write a number of years from 0 to 60")
    return float(value)


def _level(r: _Reader, where: tuple[Any, ...], value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value in _LEVEL_WORD:
        return value
    key = str(value).strip().lower() if value is not None else "none"
    if key in LEVEL_NAMES:
        return LEVEL_NAMES[key]
    raise r.fail(where, f"{value!r} is not allowed; write one of: {', '.join(LEVEL_NAMES)}")


#: what an education option accepts besides a degree (see EducationOption.route)
ROUTES: tuple[str, ...] = ("degree", "experience", "training")


def _route(r: _Reader, where: tuple[Any, ...], value: Any) -> Any:
    key = str(value).strip().lower() if value is not None else "degree"
    if key in ROUTES:
        return key
    raise r.fail(where, f"{value!r} is not allowed; write one of: {', '.join(ROUTES)}")


def _cefr(r: _Reader, where: tuple[Any, ...], value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    key = str(value).strip().upper()
    if key in CEFR_LEVELS:
        return key
    raise r.fail(where, f"{value!r} is not allowed; write one of: {', '.join(CEFR_LEVELS)}, or leave it empty")  # noqa: E501


def _language(r: _Reader, where: tuple[Any, ...], value: Any) -> str:
    key = str(value or "").strip().lower()
    if len(key) == 2 and key.isalpha():
        return key
    raise r.fail(where, f"{value!r} is not allowed; write a two-letter language code (en, fr, ru ...)")  # noqa: E501


def _text(r: _Reader, where: tuple[Any, ...], value: Any, *, required: bool) -> str:
    if value is None:
        if required:
            raise r.fail(where, "is empty; write the requirement's text")
        return ""
    if isinstance(value, (list, dict)):
        raise r.fail(where, "must be text, not a list or a mapping")
    text = " ".join(str(value).split())
    if required and not text:
        raise r.fail(where, "is empty; write the requirement's text")
    return text


def _fields(r: _Reader, where: tuple[Any, ...], value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise r.fail(where, "must be a list of fields of study, e.g. [law, political science]")
    return tuple(_text(r, (*where, i), v, required=True) for i, v in enumerate(value))


def _evidence(text: str, reviewer: str) -> Evidence:
    return Evidence(text or f"added by the reviewer ({reviewer or 'not named'})", source="review")


def reviewed_vacancy_id(path: str | os.PathLike[str]) -> str:
    """The notice id a requirements file is for ("" when it names none)."""
    r = _Reader(Path(path))
    return str(r.data.get("vacancy") or "") if isinstance(r.data, dict) else ""


def load_requirements(
    path: str | os.PathLike[str], vacancy: Vacancy | None = None
) -> Requirements:
    """Read and check a reviewed requirements file; the result carries its
    :class:`~matcher.types.RequirementsReview` (with what changed from ``vacancy``'s extraction
    when ``vacancy`` is given). Raises :class:`RequirementsFileError` naming the line and field.
    """
    p = Path(path)
    r = _Reader(p)
    data = r.data
    if not isinstance(data, dict):
        raise r.fail((), "expected a mapping of sections (education:, experience:, languages: ...)")
    unknown = [k for k in data if k not in _TOP]
    if unknown:
        raise r.fail((unknown[0],), f"unknown section; allowed: {', '.join(_TOP)}")
    reviewer = _text(r, ("reviewed_by",), data.get("reviewed_by"), required=False)
    if not reviewer:
        raise r.fail(
            ("reviewed_by",),
            "is empty; write the name or staff id of the person who reviewed the requirements",
        )
    if vacancy is not None and data.get("vacancy") not in (None, "", vacancy.id):
        raise r.fail(
            ("vacancy",),
            f"the file is for {data.get('vacancy')!r}, not for the notice {vacancy.id!r}; "
            "write the requirements of this notice with `matcher requirements NOTICE --out FILE`",
        )
    sections: dict[str, list[Any]] = {}
    for name, (allowed, needed) in _SECTIONS.items():
        items = data.get(name)
        if items is None:
            items = []
        if not isinstance(items, list):
            raise r.fail((name,), "must be a list of items (each starting with '- ')")
        parsed = []
        for i, item in enumerate(items):
            where = (name, i)
            if not isinstance(item, dict):
                raise r.fail(where, f"must be a mapping with {', '.join(allowed)}")
            extra = [k for k in item if k not in allowed]
            if extra:
                raise r.fail((*where, extra[0]), f"unknown field; allowed: {', '.join(allowed)}")
            missing = [k for k in needed if k not in item]
            if missing:
                raise r.fail(where, f"{missing[0]} is missing (required: {', '.join(needed)})")
            parsed.append(_parse_item(r, name, where, item, reviewer))
        sections[name] = parsed
    warnings = data.get("warnings") or []
    if not isinstance(warnings, list):
        raise r.fail(("warnings",), "must be a list of text")
    fields: dict[str, Any] = {k: tuple(v) for k, v in sections.items()}
    reviewed = Requirements(
        **fields,
        warnings=tuple(str(w) for w in warnings),
    )
    changes = requirements_changes(vacancy.requirements, reviewed) if vacancy is not None else ()
    review = RequirementsReview(
        reviewed_by=reviewer,
        reviewed_on=str(data.get("reviewed_on") or ""),
        source=str(p),
        sha256=hashlib.sha256(p.read_bytes()).hexdigest(),
        changes=tuple(changes),
        note=_text(r, ("note",), data.get("note"), required=False),
    )
    return replace(reviewed, review=review)


def _parse_item(
    r: _Reader, name: str, where: tuple[Any, ...], item: dict[str, Any], reviewer: str
) -> Any:
    ev = _evidence(_text(r, (*where, "evidence"), item.get("evidence"), required=False), reviewer)
    if name.startswith("education"):
        return EducationOption(
            min_level=_level(r, (*where, "level"), item.get("level")),
            fields=_fields(r, (*where, "fields"), item.get("fields")),
            related_fields=_bool(r, (*where, "related_fields"), item.get("related_fields"), False),
            extra_years=_number(r, (*where, "extra_years"), item.get("extra_years"), 0.0),
            route=_route(r, (*where, "route"), item.get("route")),
            evidence=ev,
        )
    if name.startswith("experience"):
        by = item.get("years_by_degree") or {}
        if not isinstance(by, dict):
            raise r.fail((*where, "years_by_degree"), "must be a mapping such as {bachelor: 4}")
        by_level = {}
        for k, v in by.items():
            level = _level(r, (*where, "years_by_degree"), k)
            if level is None:
                raise r.fail((*where, "years_by_degree"), "'none' is not a degree; name one")
            by_level[level] = _number(r, (*where, "years_by_degree"), v, None)
        return ExperienceRequirement(
            min_years=_number(r, (*where, "years"), item.get("years"), None),
            min_years_by_level=by_level,
            kind=_text(r, (*where, "kind"), item.get("kind"), required=False)
            or "relevant professional",
            mandatory=_bool(r, (*where, "mandatory"), item.get("mandatory"), True),
            evidence=ev,
        )
    if name == "languages":
        return LanguageRequirement(
            language=_language(r, (*where, "language"), item.get("language")),
            level=_cefr(r, (*where, "level"), item.get("level")),
            required=_bool(r, (*where, "required"), item.get("required"), True),
            evidence=ev,
        )
    if name == "language_choices":
        langs = item.get("languages")
        if not isinstance(langs, list) or not langs:
            raise r.fail((*where, "languages"), "must be a list of language codes, e.g. [en, fr]")
        codes = tuple(_language(r, (*where, "languages", i), v) for i, v in enumerate(langs))
        k = item.get("choose")
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= len(codes):
            raise r.fail(
                (*where, "choose"),
                f"{k!r} is not allowed; write a whole number from 1 to {len(codes)}",
            )
        return LanguageChoice(
            k=k, languages=codes, level=_cefr(r, (*where, "level"), item.get("level")),
            required=_bool(r, (*where, "required"), item.get("required"), True), evidence=ev,
        )  # fmt: skip
    return RequirementItem(
        text=_text(r, (*where, "text"), item.get("text"), required=True),
        required=_bool(r, (*where, "required"), item.get("required"), True),
        category=_text(r, (*where, "category"), item.get("category"), required=False),
        evidence=ev,
    )


# --------------------------------------------------------------------------- comparing


def _describe(section: str, item: Any) -> str:
    """A requirement in words, without its evidence (what a change list compares)."""
    if isinstance(item, EducationOption):
        s = f"degree {_level_word(item.min_level)}"
        if item.fields:
            s += " in " + ", ".join(item.fields)
        if item.related_fields:
            s += " (or related)"
        if item.extra_years:
            s += f" + {item.extra_years:g} years"
        if item.route != "degree":
            s += f" or equivalent {item.route}"
        return s
    if isinstance(item, ExperienceRequirement):
        s = f"{item.min_years:g} years of {item.kind} experience"
        if item.min_years_by_level:
            s += " (" + ", ".join(
                f"{v:g} with a {_level_word(k)}" for k, v in sorted(item.min_years_by_level.items())
            ) + ")"
        return s + ("" if item.mandatory else " (asset)")
    if isinstance(item, LanguageRequirement):
        level = item.level or "(any level)"
        return f"{item.language} {level}" + ("" if item.required else " (asset)")
    if isinstance(item, LanguageChoice):
        return (f"{item.k} of {', '.join(item.languages)} {item.level or ''}".rstrip()
                + ("" if item.required else " (asset)"))  # fmt: skip
    if isinstance(item, RequirementItem):
        return item.text + ("" if item.required else " (asset)")
    return str(item)


_SECTION_WORDS = {
    "education": "education option",
    "education_preferred": "preferred education",
    "experience": "experience",
    "experience_preferred": "preferred experience",
    "languages": "language",
    "language_choices": "language choice",
    "other": "other condition",
    "competencies": "competency",
}


def _fields_of(item: Any) -> dict[str, Any]:
    """An item as the reviewer's file writes it, without evidence."""
    if isinstance(item, EducationOption):
        d = _education(item)
    elif isinstance(item, ExperienceRequirement):
        d = _experience(item)
    elif isinstance(item, LanguageRequirement):
        d = {"language": item.language, "level": item.level, "required": item.required}
    elif isinstance(item, LanguageChoice):
        d = {"choose": item.k, "languages": list(item.languages), "level": item.level,
             "required": item.required}  # fmt: skip
    else:
        d = _item(item)
    d.pop("evidence", None)
    return d


def _value(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(map(str, v)) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {x}" for k, x in v.items()) + "}"
    return "(empty)" if v in (None, "") else str(v).lower() if isinstance(v, bool) else str(v)


def requirements_changes(extracted: Requirements | None, reviewed: Requirements) -> list[str]:
    """What the reviewer changed, in words: per section, items edited (field by field), removed
    and added."""
    before = extracted or Requirements()
    out: list[str] = []
    for name in _SECTIONS:
        old = list(getattr(before, name))
        new = list(getattr(reviewed, name))
        old_d = [_describe(name, x) for x in old]
        new_d = [_describe(name, x) for x in new]
        word = _SECTION_WORDS[name]
        matcher = difflib.SequenceMatcher(a=old_d, b=new_d, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:  # items edited in place: field by field
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    a, b = _fields_of(old[i]), _fields_of(new[j])
                    diffs = [f"{k} {_value(a.get(k))} -> {_value(b.get(k))}"
                             for k in b if a.get(k) != b.get(k)]  # fmt: skip
                    out.append(f"changed {word} {i + 1} ({old_d[i]}): " + "; ".join(diffs))
                continue
            out += [f"removed {word}: {old_d[i]}" for i in range(i1, i2)]
            out += [f"added {word}: {new_d[j]}" for j in range(j1, j2)]
    return out


def apply_requirements(
    vacancy: Vacancy, requirements: Requirements | str | os.PathLike[str]
) -> Vacancy:
    """``vacancy`` with reviewed requirements (a :class:`Requirements` or the path of a reviewed
    file, checked against this notice) in place of the extracted ones."""
    if isinstance(requirements, Requirements):
        reviewed = requirements
        if reviewed.review is not None and not reviewed.review.changes:
            reviewed = replace(
                reviewed,
                review=replace(
                    reviewed.review,
                    changes=tuple(requirements_changes(vacancy.requirements, reviewed)),
                ),
            )
    else:
        reviewed = load_requirements(requirements, vacancy)
    return replace(vacancy, requirements=reviewed)
