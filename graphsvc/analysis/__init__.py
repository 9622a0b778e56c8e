"""graphsvc.analysis (see DESIGN.md)."""
