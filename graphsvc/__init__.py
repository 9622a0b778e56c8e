"""graphsvc: partner-network analysis — who holds the network together, and whom to work with next."""

__all__: list[str] = []
