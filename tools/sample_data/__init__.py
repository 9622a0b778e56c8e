"""The generator of graphsvc's fictional sample data (a tool, not part of the package).

``python -m tools.sample_data.generate`` writes ``ingest/sample/files/`` (seeded: the same seed
gives the same bytes); the package reads those files through :mod:`ingest.sample`.
"""
