"""Watchlist entries as they arrive: CSV, JSON and FollowTheMoney entity JSON, read into one shape.

Pure: no database, no web. A bad file or row raises :class:`~kouan.formats.records.FormatError` naming the row (or
line) and the column; nothing of a file is used when any of it is bad, so an import is all or nothing.

An entry's ``key`` is what makes it the same entry in the next version of its list: the source's own id when it
has one (CSV ``id``, JSON ``id``, an FtM entity's ``id``), else a digest of its names, birth date, nationality and
documents (then a corrected entry reads as one removed and one added).

FollowTheMoney (the format OpenSanctions and other sanctions lists are published in; one entity per line, or a JSON
array): ``Person`` entities are read — ``name``, ``alias``, ``weakAlias``, ``previousName`` (or ``firstName`` /
``lastName``), ``birthDate``, ``nationality`` / ``citizenship``, ``gender``, ``passportNumber`` and ``idNumber``,
``program`` / ``topics`` as the legal basis; other schemata (companies, sanctions, addresses) are skipped and counted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kouan.formats.records import FormatError
from kouan.reference import country

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SEXES = {"M": "M", "F": "F", "X": "X", "MALE": "M", "FEMALE": "F", "OTHER": "X"}
FTM_NAMES = ("name", "alias", "weakAlias", "previousName")
ALIAS_SEPARATOR = ";"


@dataclass(frozen=True)
class EntryName:
    name: str
    alias: bool = False  # False: the entry's own name; True: an alias, earlier name or another script's form

    @property
    def script(self) -> str:
        return "han" if HAN.search(self.name) else "latin"


@dataclass(frozen=True)
class EntryDocument:
    number: str
    type: str | None = None  # P passport, I identity card...
    country: str | None = None


@dataclass(frozen=True)
class Entry:
    """One person on a list: names (Han and Latin, aliases), a birth date that may be only a year or year-month,
    nationality (alpha-3), sex, documents, why and by whom, and from/until when it is in force."""

    key: str
    names: tuple[EntryName, ...]
    birth_date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    nationality: str | None = None
    sex: str | None = None
    documents: tuple[EntryDocument, ...] = ()
    legal_basis: str | None = None
    authority: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "names": [{"name": n.name, "alias": n.alias, "script": n.script} for n in self.names],
            "birth_date": self.birth_date,
            "nationality": self.nationality,
            "sex": self.sex,
            "documents": [{"number": d.number, "type": d.type, "country": d.country} for d in self.documents],
            "legal_basis": self.legal_basis,
            "authority": self.authority,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
        }


@dataclass
class ReadEntries:
    entries: list[Entry] = field(default_factory=list)
    skipped: int = 0  # records that are not persons (FtM companies, sanctions...)


def read_entries(text: str, *, form: str) -> ReadEntries:
    """Entries of a ``csv``, ``json`` or ``ftm`` file; raises FormatError naming the place of the first problem."""
    readers = {"csv": _read_csv, "json": _read_json, "ftm": _read_ftm}
    if form not in readers:
        raise FormatError(position="format", message=f"{form!r} is not csv, json or ftm")
    read = readers[form](text)
    _unique_keys(read.entries)
    return read


def _unique_keys(entries: list[Entry]) -> None:
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        if entry.key in seen:
            raise FormatError(position=f"entry {index}", message=f"id {entry.key!r} is listed twice")
        seen.add(entry.key)


# --- CSV: id,name,name_han,aliases,birth_date,nationality,sex,document_number,document_type,legal_basis,authority,
# valid_from,valid_to (only name required; aliases separated by ";") -------------------------------------------------


def _read_csv(text: str) -> ReadEntries:
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not rows.fieldnames or "name" not in [f.strip() for f in rows.fieldnames]:
        raise FormatError(position="row 1", message="no 'name' column")
    return ReadEntries([_csv_entry(row, place=f"row {n}") for n, row in enumerate(rows, start=2)])


def _csv_entry(raw: dict[str, Any], *, place: str) -> Entry:
    row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str | None)}
    aliases = [a.strip() for a in row.get("aliases", "").split(ALIAS_SEPARATOR) if a.strip()]
    names = _names(primary=[row.get("name", "")], aliases=[row.get("name_han", ""), *aliases], place=place)
    number = row.get("document_number")
    documents = (EntryDocument(number=number.upper(), type=row.get("document_type") or None),) if number else ()
    return _entry(row=row, names=names, documents=documents, place=place)


def _entry(*, row: dict[str, Any], names: tuple[EntryName, ...], documents: tuple[EntryDocument, ...],
           place: str) -> Entry:  # fmt: skip
    valid_from = _day(row.get("valid_from"), place=place, column="valid_from")
    valid_to = _day(row.get("valid_to"), place=place, column="valid_to")
    _in_order(valid_from, valid_to, place=place)
    birth_date, nationality = _birth_date(row.get("birth_date"), place=place), _nationality(row.get("nationality"),
                                                                                            place=place)  # fmt: skip
    key = str(row.get("id") or "") or _digest(names=names, birth_date=birth_date, nationality=nationality,
                                               documents=documents)  # fmt: skip
    return Entry(key=key, names=names, birth_date=birth_date, nationality=nationality,
                 sex=_sex(row.get("sex"), place=place), documents=documents, legal_basis=row.get("legal_basis") or None,
                 authority=row.get("authority") or None, valid_from=valid_from, valid_to=valid_to)  # fmt: skip


# --- JSON: an array of objects with the CSV's fields; names and aliases may be lists --------------------------------


def _read_json(text: str) -> ReadEntries:
    data = _json(text, place="file")
    if not isinstance(data, list):
        raise FormatError(position="file", message="expected a JSON array of entries")
    return ReadEntries([_json_entry(item, place=f"entry {n}") for n, item in enumerate(data, start=1)])


def _json_entry(item: Any, *, place: str) -> Entry:
    if not isinstance(item, dict):
        raise FormatError(position=place, message="an entry is a JSON object")
    primary, aliases = _listed(item.get("name"), place=place), _listed(item.get("aliases"), place=place)
    names = _names(primary=primary, aliases=[*_listed(item.get("name_han"), place=place), *aliases], place=place)
    documents = tuple(_json_document(d, place=place) for d in _listed_objects(item.get("documents"), place=place))
    if item.get("document_number"):
        documents += (EntryDocument(number=str(item["document_number"]).upper(), type=item.get("document_type")),)
    row = {k: (str(v) if v is not None else None) for k, v in item.items() if not isinstance(v, list | dict)}
    return _entry(row=row, names=names, documents=documents, place=place)


def _json_document(data: dict[str, Any], *, place: str) -> EntryDocument:
    number = str(data.get("number") or "").strip().upper()
    if not number:
        raise FormatError(position=f"{place} documents", message="a document without a number")
    found = country(str(data["country"])) if data.get("country") else None
    return EntryDocument(number=number, type=data.get("type"), country=found.code if found else None)


# --- FollowTheMoney entities ---------------------------------------------------------------------------------------


def _read_ftm(text: str) -> ReadEntries:
    stripped = text.strip()
    if stripped.startswith("["):
        records = [(f"entity {n}", e) for n, e in enumerate(_json(stripped, place="file"), start=1)]
    else:
        records = [(f"line {n}", _json(line, place=f"line {n}")) for n, line in enumerate(text.splitlines(), 1)
                   if line.strip()]  # fmt: skip
    read = ReadEntries()
    for place, entity in records:
        if not isinstance(entity, dict) or "schema" not in entity:
            raise FormatError(position=place, message="not a FollowTheMoney entity (no 'schema')")
        if entity["schema"] != "Person":
            read.skipped += 1
            continue
        read.entries.append(_ftm_person(entity, place=place))
    return read


def _ftm_person(entity: dict[str, Any], *, place: str) -> Entry:
    props = entity.get("properties") or {}
    if not isinstance(props, dict):
        raise FormatError(position=f"{place} properties", message="properties must be an object")
    values = {k: [str(v) for v in vs] for k, vs in props.items() if isinstance(vs, list)}
    primary = values.get("name") or [" ".join(values.get("firstName", []) + values.get("lastName", []))]
    aliases = [n for key in FTM_NAMES[1:] for n in values.get(key, [])] + values.get("name", [])[1:]
    documents = tuple(EntryDocument(number=n.upper(), type="P") for n in values.get("passportNumber", [])) + tuple(
        EntryDocument(number=n.upper(), type="I") for n in values.get("idNumber", [])
    )
    row = {
        "birth_date": _first(values.get("birthDate")),
        "nationality": _first(values.get("nationality") or values.get("citizenship")),
        "sex": _first(values.get("gender")),
        "legal_basis": "; ".join(values.get("program", []) or values.get("topics", [])) or None,
        "id": entity.get("id"),
    }
    names = _names(primary=primary[:1], aliases=aliases, place=place)
    return _entry(row=row, names=names, documents=documents, place=place)


# --- fields ------------------------------------------------------------------------------------------------------


def _names(*, primary: list[str], aliases: list[str], place: str) -> tuple[EntryName, ...]:
    own = [n.strip() for n in primary if n and n.strip()]
    if not own:
        raise FormatError(position=f"{place} name", message="an entry needs a name")
    others = [a.strip() for a in aliases if a and a.strip() and a.strip() not in own]
    listed = [EntryName(own[0])] + [EntryName(n, alias=True) for n in dict.fromkeys(own[1:] + others)]
    return tuple(listed)


def _birth_date(value: str | None, *, place: str) -> str | None:
    if not value:
        return None
    text = value.strip()[:10]
    if not PARTIAL_DATE.match(text) or not _valid_partial(text):
        raise FormatError(position=f"{place} birth_date", message=f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return text


def _valid_partial(text: str) -> bool:
    parts = [int(p) for p in text.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _nationality(value: str | None, *, place: str) -> str | None:
    if not value:
        return None
    found = country(value)
    if found is None:
        raise FormatError(position=f"{place} nationality", message=f"{value!r} is not a country code")
    return found.code


def _sex(value: str | None, *, place: str) -> str | None:
    if not value:
        return None
    if value.strip().upper() not in SEXES:
        raise FormatError(position=f"{place} sex", message=f"{value!r} is not M, F or X")
    return SEXES[value.strip().upper()]


def _day(value: str | None, *, place: str, column: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise FormatError(position=f"{place} {column}", message=f"{value!r} is not a date (YYYY-MM-DD)") from None


def _in_order(start: date | None, end: date | None, *, place: str) -> None:
    if start and end and end < start:
        raise FormatError(position=f"{place} valid_to", message=f"valid_to {end} is before valid_from {start}")


def _json(text: str, *, place: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise FormatError(position=place, message=f"not JSON: {str(error)[:120]}") from None


def _listed(value: Any, *, place: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise FormatError(position=place, message="names are a string or a list of strings")


def _listed_objects(value: Any, *, place: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    raise FormatError(position=f"{place} documents", message="documents are a list of objects")


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


def _digest(*, names: tuple[EntryName, ...], birth_date: str | None, nationality: str | None,
            documents: tuple[EntryDocument, ...]) -> str:  # fmt: skip
    listed = [sorted(n.name for n in names), birth_date, nationality, sorted(d.number for d in documents)]
    return "h:" + hashlib.sha256(json.dumps(listed, ensure_ascii=False).encode()).hexdigest()[:24]
