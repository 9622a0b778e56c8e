"""graphsvc.viz (see DESIGN.md)."""
