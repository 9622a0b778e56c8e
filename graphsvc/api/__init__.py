"""graphsvc.api (see DESIGN.md)."""
