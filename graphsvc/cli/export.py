"""`graphsvc export`: write the store's organisation graph as GraphML, GEXF, JSON or CSV."""

from __future__ import annotations

import click

from graphsvc.cli.common import handle_errors, open_cli_store, store_option
from graphsvc.exporting import EXPORT_FORMATS, write_graph
from graphsvc.model.records import GraphFilter

__all__ = ["export"]


@click.command(name="export")
@store_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="graphml",
              show_default=True, help="File format.")
@click.option("-o", "--output", "output", required=True, metavar="FILE",
              type=click.Path(dir_okay=False, writable=True),
              help="File to write (csv also writes FILE's .nodes.csv beside it).")
@click.option("--province", default=None, metavar="CODE",
              help="Only organisations of this province (ISO code, e.g. TH-21).")
@click.option("--sector", "sectors", multiple=True, metavar="CODE",
              help="Only organisations of this sector; repeat for several.")
@click.option("--fy-from", type=int, default=None, metavar="YEAR",
              help="First fiscal year (BE, e.g. 2566) of events and ties to count.")
@click.option("--fy-to", type=int, default=None, metavar="YEAR",
              help="Last fiscal year (BE) of events and ties to count.")
@handle_errors
def export(store_url: str | None, fmt: str, output: str, province: str | None,
           sectors: tuple[str, ...], fy_from: int | None, fy_to: int | None) -> None:
    """Write the organisation graph to FILE for Gephi, yEd, Cytoscape or a spreadsheet.

    \b
    graphml  every node and tie attribute, typed (opens in Gephi)
    gexf     GEXF 1.2 for Gephi; node labels are the organisations' names
    json     node-link JSON: {"nodes": [...], "edges": [...]}
    csv      FILE is the edge list (source,target,weight,...); FILE with .nodes.csv
             in place of .csv is the node table (id,label,sector,...); UTF-8 with BOM
    """
    flt = GraphFilter(province=province, sectors=tuple(sectors) or None, fy_from=fy_from,
                      fy_to=fy_to)
    store = open_cli_store(store_url)
    try:
        G = store.load_graph(flt)
    finally:
        store.close()
    written = write_graph(G, output, fmt)
    click.echo(f"wrote {G.number_of_nodes()} organisations and {G.number_of_edges()} ties to "
               + ", ".join(map(str, written)), err=True)
