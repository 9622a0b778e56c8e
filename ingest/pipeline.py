"""An ingest run: read every file, clean, check, resolve names, then write once.

Everything from all files goes to the store in ONE :meth:`GraphStore.write_batch` call (one
transaction), after every check has passed: a run writes all of it or nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graphsvc.errors import IngestError
from graphsvc.model.records import TABLES, RecordBatch
from graphsvc.model.reference import default_sectors
from graphsvc.store.protocol import GraphStore
from ingest.choices import NameChoice, apply_choices
from ingest.cleaning import CleanContext, clean_table
from ingest.limits import ReadBudget, ReadLimits
from ingest.lookups import SectorLookup
from ingest.problems import DEFAULT_MAX_PROBLEMS, ProblemLog
from ingest.readers import RawTable, Source, read_source, source_name
from ingest.report import FileRead, IngestReport
from ingest.resolution import OrgIndex, UnresolvedName
from ingest.updates import keep_stored
from ingest.validation import check_references, dedupe, resolve_names

__all__ = ["PreparedBatch", "file_names", "prepare_batch", "read_uploads", "run_ingest",
           "write_prepared"]

Progress = Callable[[str], None]
_ORDER = ("sectors", "organisations", "events", "attendance", "collaborations")


@dataclass
class PreparedBatch:
    """Files read, cleaned and checked, ready for one ``write_batch``."""

    batch: RecordBatch
    files: list[FileRead] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unresolved: list[UnresolvedName] = field(default_factory=list)
    #: Attendance rows written by name that resolved: ``{"file", "row", "name", "org_id"}``.
    named: list[dict[str, object]] = field(default_factory=list)


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


def prepare_batch(sources: Sequence[Source], store: GraphStore | None = None, *,
                  strict: bool = False, progress: Progress | None = None,
                  max_problems: int = DEFAULT_MAX_PROBLEMS,
                  choices: Sequence[NameChoice] = (),
                  limits: ReadLimits | None = None) -> PreparedBatch:
    """Read, clean and check ``sources`` against ``store`` (if any) without writing.

    ``choices`` are a planner's answers for written names that did not resolve
    (:mod:`ingest.choices`): an alias added to an organisation, or a new organisation. They are
    applied before names are resolved, so the rows naming them resolve and are written.

    Raises :class:`~graphsvc.errors.IngestError` listing every problem found (up to
    ``max_problems``), each with file, row and column, and
    :class:`~graphsvc.errors.PayloadTooLarge` as soon as a file passes one of ``limits``
    (default: those of the ``GRAPHSVC_*`` settings; see :mod:`ingest.limits`).
    """
    if limits is None:
        from graphsvc.config import Settings

        limits = ReadLimits.from_settings(Settings.from_env())
    budget = ReadBudget(limits)
    problems = ProblemLog(max_problems)
    warnings: list[str] = []
    if not sources:
        problems.add("-", None, None, "no files given")
    raws: list[RawTable] = []
    for source in sources:
        _say(progress, f"reading {source_name(source)}")
        raws.extend(read_source(source, problems, warnings, budget))
    problems.raise_if_any()

    stored = store.read_records() if store is not None else RecordBatch()
    sectors = SectorLookup(store.sectors() if store is not None else default_sectors())
    ctx = CleanContext(problems, sectors, warnings,
                       stored_orgs=frozenset(stored.organisations["org_id"].dropna()))
    cleaned: dict[str, list[pd.DataFrame]] = {t: [] for t in _ORDER}
    files: list[FileRead] = []
    for raw in sorted(raws, key=lambda r: _ORDER.index(r.table)):
        _say(progress, f"cleaning {raw.file} ({raw.table}, {len(raw.frame)} rows)")
        cleaned[raw.table].append(clean_table(raw, ctx))
        files.append(FileRead(raw.file, raw.table, len(raw.frame)))
        if not len(raw.frame):
            warnings.append(f"{raw.file}: no data rows")
    headers = {raw.file: raw.headers for raw in raws}

    _say(progress, "checking")
    frames = {t: _concat(t, cleaned[t]) for t in _ORDER}
    if choices:
        frames["organisations"] = apply_choices(frames["organisations"], stored.organisations,
                                                choices)
    for table in ("sectors", "organisations", "events", "collaborations"):
        # a stored row keeps what a file leaves blank (attendance: once names are resolved)
        frames[table] = keep_stored(table, frames[table], getattr(stored, table))
    for table in ("sectors", "organisations", "events", "collaborations"):
        frames[table] = dedupe(table, frames[table], problems, headers, warnings)
    unresolved: list[UnresolvedName] = []
    named: list[dict[str, object]] = []
    att = frames["attendance"]
    if not att.empty and (att["org_id"].isna() & att["org_name"].notna()).any():
        _say(progress, "resolving organisation names")
        index = OrgIndex(pd.concat([stored.organisations, frames["organisations"]],
                                   ignore_index=True))
        by_name = att["org_id"].isna() & att["org_name"].notna()
        att, unresolved = resolve_names(att, index, strict=strict, problems=problems,
                                        headers=headers)
        resolved = att[by_name.reindex(att.index, fill_value=False)]
        named = [{"file": f, "row": int(r), "name": n, "org_id": o} for f, r, n, o in
                 resolved[["src_file", "src_row", "org_name", "org_id"]].itertuples(
                     index=False, name=None)]
        if unresolved and not strict:
            warnings.append(f"{len(unresolved)} attendance row{'s' if len(unresolved) != 1 else ''}"
                            " named an organisation that did not resolve; skipped (see unresolved)")
    frames["attendance"] = keep_stored(
        "attendance", dedupe("attendance", att, problems, headers, warnings), stored.attendance)
    check_references(frames, set(stored.organisations["org_id"]),
                     set(stored.events["event_id"]), problems, headers)
    problems.raise_if_any()
    batch = RecordBatch(**{t: _columns(t, frames[t]) for t in _ORDER})
    return PreparedBatch(batch, files, warnings, unresolved, named)


def _concat(table: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    cols = [*TABLES[table].columns, "src_file", "src_row"]
    if table == "attendance":
        cols += ["org_name", "province_code"]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    missing = [c for c in cols if c not in frame.columns]
    if missing:  # as None (reindex would fill NaN)
        frame = frame.assign(**{c: pd.Series(np.full(len(frame), None, dtype=object),
                                             index=frame.index, dtype=object) for c in missing})
    return frame[cols]


def _columns(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table's columns, blanks as ``None``. Cleaning makes every column an object column
    with ``None`` for blanks (:func:`ingest.validation.dedupe` keeps it so), so only a column
    of another dtype needs converting: no pass over the object columns."""
    out = frame[list(TABLES[table].columns)].reset_index(drop=True)
    other = [c for c in out.columns if out[c].dtype != object]
    if other:
        part = out[other].astype(object)
        out = out.assign(**{c: part[c].where(part[c].notna(), None) for c in other})
    return out


def file_names(prepared: PreparedBatch) -> list[str]:
    """The names of the files a batch came from (no folders), each once, in reading order."""
    names = (os.path.basename(f.file[:f.file.index("[")] if f.file.endswith("]") else f.file)
             for f in prepared.files)
    return list(dict.fromkeys(names))


def read_uploads(files: Sequence[tuple[str, bytes]], store: GraphStore | None = None, *,
                 strict: bool = False, limits: ReadLimits | None = None) -> PreparedBatch:
    """The API's upload path: ``[(filename, content), …]`` read and checked like files on disk.

    Returns the :class:`PreparedBatch` (``.batch`` a :class:`RecordBatch`, ``.warnings``,
    ``.unresolved``); raises :class:`~graphsvc.errors.IngestError` as :func:`run_ingest` does.
    """
    return prepare_batch(list(files), store, strict=strict, limits=limits)


def run_ingest(paths: Sequence[Source], store: GraphStore, *, dry_run: bool = False,
               strict: bool = False, progress: Progress | None = None,
               limits: ReadLimits | None = None, office: str | None = None) -> IngestReport:
    """Ingest files (paths, or ``(filename, bytes)`` uploads) into ``store`` in one transaction.

    Parameters
    ----------
    paths : sequence of path or (filename, bytes)
        CSV or XLSX files; ``book.xlsx:Sheet`` reads one sheet; a folder reads the CSV and
        XLSX files in it (not its subfolders), in name order.
    store : GraphStore
        Where to write; also consulted for organisations and events named but not in the files.
    dry_run : bool
        Check and count what would change, then roll back.
    strict : bool
        Fail the run when a written organisation name does not resolve (default: skip the row
        and report it).
    progress : callable, optional
        Called with a short line per stage (reading, cleaning, checking, writing).
    limits : ReadLimits, optional
        How much may be read (default: from the ``GRAPHSVC_*`` settings).
    office : str, optional
        Who writes, as the store's history should name them.

    Returns
    -------
    IngestReport

    Raises
    ------
    graphsvc.errors.IngestError
        With one detail (file, row, column, reason) per problem; nothing is written.
    graphsvc.errors.PayloadTooLarge
        A file over one of ``limits``; nothing is written.
    """
    prepared = prepare_batch(expand_folders(paths), store, strict=strict, progress=progress,
                             limits=limits)
    return write_prepared(prepared, store, dry_run=dry_run, progress=progress, office=office)


#: File endings a folder is read for.
FOLDER_SUFFIXES = (".csv", ".xlsx")


def expand_folders(paths: Sequence[Source]) -> list[Source]:
    """``paths`` with each folder replaced by the CSV and XLSX files directly in it, in name
    order (hidden files and Excel's ``~$`` lock files left out). A folder with no such file is
    :class:`~graphsvc.errors.IngestError`."""
    out: list[Source] = []
    for source in paths:
        if isinstance(source, tuple) or not Path(source).is_dir():
            out.append(source)
            continue
        folder = Path(source)
        found = sorted(p for p in folder.iterdir()
                       if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES
                       and not p.name.startswith((".", "~$")))
        if not found:
            raise IngestError(f"the folder {folder} holds no .csv or .xlsx file",
                              [{"file": str(folder), "row": None, "column": None,
                                "reason": "no .csv or .xlsx file in this folder"}])
        out.extend(found)
    return out


def write_prepared(prepared: PreparedBatch, store: GraphStore, *, dry_run: bool = False,
                   progress: Progress | None = None, office: str | None = None,
                   expect_revision: int | None = None) -> IngestReport:
    """Write a checked batch in one :meth:`GraphStore.write_batch` transaction and report it
    (the second half of :func:`run_ingest`, for callers that check limits in between).

    The store's history records ``office`` and the names of the files read.
    """
    rows = sum(prepared.batch.counts().values())
    _say(progress, f"{'checking against' if dry_run else 'writing'} {rows} rows "
         f"{'' if dry_run else 'to '}the store in one transaction")
    result = store.write_batch(prepared.batch, dry_run=dry_run, office=office,
                               files=file_names(prepared), expect_revision=expect_revision)
    _say(progress, "done")
    return IngestReport(
        files=prepared.files,
        tables={t: c.as_dict() for t, c in result.tables.items()},
        warnings=prepared.warnings,
        unresolved=prepared.unresolved,
        revision_before=result.revision_before,
        revision_after=result.revision_after,
        dry_run=dry_run,
        store=f"{store.kind}:{store.location}",
    )
