"""Ingest: read partner records from CSV/XLSX, clean and validate them, load them into a store.

>>> from graphsvc.store import open_store
>>> from ingest import run_ingest
>>> from ingest.sample import sample_files
>>> report = run_ingest(sample_files(), open_store("sqlite:///:memory:"))
>>> report.tables["organisations"]
{'inserted': 296, 'updated': 0, 'unchanged': 0}

The modules, in the order a run uses them: :mod:`ingest.readers` (CSV/XLSX to text tables),
:mod:`ingest.columns` (header aliases, table detection), :mod:`ingest.cleaning` and
:mod:`ingest.lookups` (values), :mod:`ingest.validation` and :mod:`ingest.resolution` (checks
across rows, names to ids), :mod:`ingest.pipeline` (the run), :mod:`ingest.report`.
"""

from ingest.pipeline import PreparedBatch, prepare_batch, read_uploads, run_ingest
from ingest.problems import Problem, ProblemLog
from ingest.report import FileRead, IngestReport
from ingest.resolution import Candidate, UnresolvedName

__all__ = [
    "Candidate",
    "FileRead",
    "IngestReport",
    "PreparedBatch",
    "Problem",
    "ProblemLog",
    "UnresolvedName",
    "prepare_batch",
    "read_uploads",
    "run_ingest",
]
