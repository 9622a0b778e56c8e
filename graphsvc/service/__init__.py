"""The cached composition every front end shares: store → graph → analysis → plain data.

The web API, the CLI's long-running server and the analysts' Python API (``graphsvc.open``) all
compute through :class:`~graphsvc.service.analyses.Analyses`, so a notebook, a planner page and
a JSON answer show the same numbers, computed once per store revision
(:class:`~graphsvc.service.cache.ResultCache`). Nothing here knows about HTTP.
"""
