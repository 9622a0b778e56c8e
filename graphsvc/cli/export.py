"""`graphsvc export`: write the store's organisation graph as GraphML, GEXF, JSON or CSV."""

from __future__ import annotations

import click

from graphsvc.cli.common import (
    handle_errors,
    open_network,
    say_data,
    selection_options,
    store_option,
)
from graphsvc.exporting import EXPORT_FORMATS, write_graph

__all__ = ["export"]


@click.command(name="export")
@store_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="graphml",
              show_default=True, help="File format.")
@click.option("-o", "--output", "output", required=True, metavar="FILE",
              type=click.Path(dir_okay=False, writable=True),
              help="File to write (csv also writes FILE's .nodes.csv beside it).")
@selection_options
@handle_errors
def export(store_url: str | None, fmt: str, output: str, province: str | None,
           sectors: tuple[str, ...], fy: str | None) -> None:
    """Write the organisation graph to FILE for Gephi, yEd, Cytoscape or a spreadsheet.

    \b
    graphml  every node and tie attribute, typed (opens in Gephi)
    gexf     GEXF 1.2 for Gephi; node labels are the organisations' names
    json     node-link JSON: {"nodes": [...], "edges": [...]}
    csv      FILE is the edge list (source,target,weight,...); FILE with .nodes.csv
             in place of .csv is the node table (id,label,sector,...); UTF-8 with BOM
    """
    with open_network(store_url) as net:
        G = net.graph(province, sectors or None, fy)
        say_data(net)
    written = write_graph(G, output, fmt)
    click.echo(f"wrote {G.number_of_nodes()} organisations and {G.number_of_edges()} ties to "
               + ", ".join(map(str, written)), err=True)
