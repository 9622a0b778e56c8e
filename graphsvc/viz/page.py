"""Render a map page: pyvis holds the network, our template makes the self-contained document.

pyvis's own template links bootstrap from a CDN and adds chrome an embedded map does not want,
so the page is rendered from ``assets/map.html`` with pyvis's bundled (``in_line``) vis-network
9.1.2 script and stylesheet inlined. pyvis is imported here, lazily.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["render_page", "vis_assets"]

_VIS_DIR = "vis-9.1.2"
#: The words the page's script shows.
_SCRIPT_TEXT = ("not_found", "found_many", "sector", "show_on_map")


@functools.cache
def vis_assets() -> tuple[str, str]:
    """The vis-network script and stylesheet shipped inside pyvis (``cdn_resources="in_line"``)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / _VIS_DIR
    script = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    style = (lib / "vis-network.css").read_text(encoding="utf-8")
    # An inline script ends at the first "</script"; the bundle must not contain one.
    if "</script" in script.lower():  # pragma: no cover - guards a future pyvis upgrade
        raise RuntimeError("vis-network bundle contains '</script'; cannot inline it")
    return script, style


@functools.cache
def _environment() -> Any:
    import jinja2

    folder = resources.files("graphsvc.viz").joinpath("assets")
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: folder.joinpath(name).read_text(encoding="utf-8")),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env


@functools.cache
def _asset(name: str) -> str:
    return resources.files("graphsvc.viz").joinpath("assets", name).read_text(encoding="utf-8")


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (no ``<``, ``>``, ``&``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_page(
    *,
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    options: Mapping[str, Any],
    lang: str,
    title: str,
    subtitle: str,
    legend: Mapping[str, Any],
    embed: bool,
    height: str,
    font_stack: str,
    text: Mapping[str, str],
    controls: Mapping[str, Any],
    script_data: Mapping[str, Any],
) -> str:
    """The whole HTML page for these vis-network nodes, edges and options."""
    from markupsafe import Markup
    from pyvis.network import Network

    net = Network(cdn_resources="in_line", height=height, width="100%")
    # Bulk assignment (see graphsvc.viz.maps): pyvis's add_edge scans every edge per call.
    net.nodes = list(nodes)
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.edges = list(edges)
    net.options = dict(options)
    data_nodes, data_edges, _heading, _height, _width, options_json = net.get_network_data()
    payload = {"nodes": data_nodes, "edges": data_edges, "options": json.loads(options_json),
               "text": {k: text[k] for k in _SCRIPT_TEXT}, **script_data}
    script, style = vis_assets()
    template = _environment().get_template("map.html")
    return template.render(
        lang=lang, title=title, subtitle=subtitle, legend=legend, embed=embed, height=height,
        controls=controls,
        font_stack=Markup(font_stack.replace("<", "").replace(">", "")), text=text,
        vis_script=Markup(script), vis_style=Markup(style),
        map_script=Markup(_asset("map.js")), map_style=Markup(_asset("map.css")),
        payload=Markup(_json_for_script(payload)),
    )
