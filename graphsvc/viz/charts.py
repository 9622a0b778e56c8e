"""Charts for people who would rather look than read: PNG or SVG bytes from matplotlib.

Each function builds its own :class:`matplotlib.figure.Figure` (no pyplot, no global figure
state) on the Agg canvas, imports matplotlib lazily, and writes deterministic output (no dates
or software versions in the file, a fixed SVG id salt). Thai labels use the font found by
:func:`graphsvc.viz.fonts.thai_font_family`; with no Thai font installed, the labels switch to
English names rather than drawing empty boxes.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from typing import Any, Literal

from graphsvc.errors import InvalidInput
from graphsvc.model.records import Sector
from graphsvc.model.reference import default_sectors
from graphsvc.model.reference import province as find_province
from graphsvc.viz import palette
from graphsvc.viz.fonts import chart_text, thai_font_family
from graphsvc.viz.wording import check_lang, metric_name

__all__ = ["growth_chart", "sector_mixing_heatmap", "top_brokers_chart"]

Format = Literal["png", "svg"]
_RC_LOCK = threading.Lock()  # rcParams are process-wide; charts are drawn one at a time
_TITLES = {
    "mixing": ("ความเชื่อมโยงระหว่างภาคส่วน", "Ties between sectors"),
    "brokers": ("องค์กรตัวกลางสำคัญ {n} อันดับแรก", "Top {n} brokers"),
    "growth": ("การเติบโตของเครือข่ายรายปีงบประมาณ", "Network growth by fiscal year"),
    "fy": ("ปีงบประมาณ (พ.ศ.)", "Fiscal year (BE)"),
    "from": ("ภาคส่วน", "Sector"),
}
_SERIES = {
    "organisations": ("องค์กร", "Organisations"), "members": ("ภาคี", "Members"),
    "ties": ("ความเชื่อมโยง", "Ties"), "edges": ("ความเชื่อมโยง", "Ties"),
    "events": ("กิจกรรม", "Events"), "collaborations": ("ความร่วมมือ", "Collaborations"),
    "new_organisations": ("องค์กรใหม่", "New organisations"),
    "new_ties": ("ความเชื่อมโยงใหม่", "New ties"),
}  # fmt: skip


def _check_fmt(fmt: str) -> str:
    if fmt not in ("png", "svg"):
        raise InvalidInput(f"fmt must be 'png' or 'svg', not {fmt!r}", [{"fmt": fmt}])
    return fmt


def _words(key: str, lang: str, **values: Any) -> str:
    th, en = _TITLES[key]
    return chart_text(th, en, en, lang).format(**values)


def _render(draw: Any, fmt: str, size: tuple[float, float]) -> bytes:
    """Run ``draw(fig)`` on a fresh Agg figure and return it as PNG/SVG bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = thai_font_family()
    rc: dict[str, Any] = {"svg.hashsalt": "graphsvc", "svg.fonttype": "path",
          "font.family": ["sans-serif"], "axes.unicode_minus": False,  # Thai fonts lack U+2212
          "font.sans-serif": ([family] if family else []) + ["DejaVu Sans"]}
    with _RC_LOCK, matplotlib.rc_context(rc):  # type: ignore[arg-type]
        fig = Figure(figsize=size, dpi=100, layout="constrained")
        FigureCanvasAgg(fig)
        draw(fig)
        buf = io.BytesIO()
        metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        fig.savefig(buf, format=fmt, metadata=metadata)
    return buf.getvalue()


def _placed(heading: str, province: str | None, lang: str) -> str:
    """``heading`` with the province it is about, when there is one."""
    known = find_province(province) if province else None
    if known is None:
        return heading
    return f"{heading} · " + chart_text(f"จังหวัด{known.name_th}", known.name_en,
                                        known.name_en, lang)


def _sector_name(code: Any, sectors: dict[str, Sector], lang: str) -> str:
    sec = sectors.get(str(code))
    if sec is None:
        return str(code)
    return chart_text(sec.name_th, sec.name_en, sec.code, lang)


def sector_mixing_heatmap(
    matrix: Any,
    fmt: Format = "png",
    *,
    sectors: Sequence[Sector] | None = None,
    lang: Literal["th", "en"] = "th",
    title: str | None = None,
    province: str | None = None,
) -> bytes:
    """A heatmap of ties between sectors.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Square: rows and columns are sector codes, values the ties (or tie weight) between them,
        as from the sector mixing matrix of the analysis layer.
    fmt : {"png", "svg"}
    sectors : sequence of Sector, optional
        Names for the codes; default :func:`graphsvc.model.reference.default_sectors`.
    lang : {"th", "en"}
    title : str, optional

    Returns
    -------
    bytes
        The image.
    """
    _check_fmt(fmt)
    check_lang(lang)
    if not hasattr(matrix, "to_numpy") or matrix.shape[0] != matrix.shape[1] or matrix.empty:
        raise InvalidInput("matrix must be a non-empty square DataFrame of sector codes")
    values = matrix.to_numpy(dtype=float)
    names = {s.code: s for s in (sectors or default_sectors())}
    rows = [_sector_name(c, names, lang) for c in matrix.index]
    cols = [_sector_name(c, names, lang) for c in matrix.columns]
    heading = title if title is not None else _placed(_words("mixing", lang), province, lang)

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        image = ax.imshow(values, cmap="viridis")
        ax.set_xticks(range(len(cols)), labels=cols, rotation=35, ha="right")
        ax.set_yticks(range(len(rows)), labels=rows)
        top = values.max() if values.size else 0.0
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                v = values[i, j]
                ax.text(j, i, f"{v:.3g}", ha="center", va="center", fontsize=9,
                        color="black" if top and v > 0.6 * top else "white")
        ax.set_title(heading)
        fig.colorbar(image, ax=ax, shrink=0.8)

    return _render(draw, fmt, (8.0, 6.5))


def top_brokers_chart(
    metrics: Any,
    n: int = 10,
    fmt: Format = "png",
    *,
    by: str = "betweenness",
    lang: Literal["th", "en"] = "th",
    title: str | None = None,
    province: str | None = None,
) -> bytes:
    """A bar chart of the ``n`` organisations with the highest ``by`` (default betweenness).

    Parameters
    ----------
    metrics : pandas.DataFrame
        One row per organisation with ``by`` and, where known, ``org_id``, ``name`` /
        ``name_th`` / ``name_en`` and ``sector`` (bars take the sector colour).
    n : int
        How many organisations (1–50).
    fmt : {"png", "svg"}
    by : str
        The metric column to rank by; ties are broken by ``org_id``.
    lang : {"th", "en"}
    title : str, optional
    """
    _check_fmt(fmt)
    check_lang(lang)
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 50:
        raise InvalidInput(f"n must be an integer from 1 to 50, not {n!r}")
    if not hasattr(metrics, "columns") or by not in metrics.columns:
        raise InvalidInput(f"metrics must be a DataFrame with a {by!r} column")
    frame = metrics.reset_index() if "org_id" not in metrics.columns else metrics
    id_col = "org_id" if "org_id" in frame.columns else frame.columns[0]
    frame = frame.assign(_key=frame[id_col].astype(str))
    frame = frame.sort_values([by, "_key"], ascending=[False, True], kind="mergesort").head(n)
    colours = palette.sector_colours([s.code for s in default_sectors()])
    labels, values, fills = [], [], []
    for row in frame.to_dict(orient="records"):
        thai = row.get("name_th") or row.get("name")
        labels.append(chart_text(thai if isinstance(thai, str) else None,
                                 row.get("name_en") if isinstance(row.get("name_en"), str)
                                 else None, str(row["_key"]), lang))
        values.append(float(row[by]))
        fills.append(colours.get(row.get("sector"), palette.UNKNOWN_SECTOR_COLOUR))
    if province is None and "province" in frame.columns and frame["province"].nunique() == 1:
        province = str(frame["province"].iloc[0])
    heading = (title if title is not None
               else _placed(_words("brokers", lang, n=len(labels)), province, lang))
    present = list(dict.fromkeys(r for r in frame.get("sector", []) if isinstance(r, str)))

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        ax.barh(range(len(values)), values, color=fills, edgecolor="#333333", linewidth=0.5)
        ax.set_yticks(range(len(labels)), labels=labels)
        ax.invert_yaxis()
        ax.set_xlabel(chart_text(metric_name(by, "th"), metric_name(by, "en"), by, lang))
        ax.set_title(heading)
        ax.grid(axis="x", alpha=0.3)
        if present:  # the bar colour is the sector: say so
            from matplotlib.patches import Patch

            names = {s.code: s for s in default_sectors()}
            ax.legend(handles=[Patch(facecolor=colours.get(c, palette.UNKNOWN_SECTOR_COLOUR),
                                     edgecolor="#333333", label=_sector_name(c, names, lang))
                               for c in present],
                      title=_words("from", lang), loc="lower right", fontsize=8)

    return _render(draw, fmt, (8.0, 1.2 + 0.42 * max(len(labels), 3)))


def growth_chart(
    per_fy: Any,
    fmt: Format = "png",
    *,
    lang: Literal["th", "en"] = "th",
    title: str | None = None,
    province: str | None = None,
) -> bytes:
    """Lines of the network's size per Buddhist-era fiscal year.

    Parameters
    ----------
    per_fy : pandas.DataFrame
        One row per fiscal year: the year in a ``fiscal_year_be`` column (or the index), and one
        numeric column per series (e.g. ``organisations``, ``ties``, ``events``).
    fmt : {"png", "svg"}
    lang : {"th", "en"}
    title : str, optional
    """
    _check_fmt(fmt)
    check_lang(lang)
    if not hasattr(per_fy, "columns") or per_fy.empty:
        raise InvalidInput("per_fy must be a non-empty DataFrame, one row per fiscal year")
    frame = per_fy.set_index("fiscal_year_be") if "fiscal_year_be" in per_fy.columns else per_fy
    frame = frame.sort_index()
    series = [c for c in frame.columns if str(frame[c].dtype).startswith(("int", "float"))]
    if not series:
        raise InvalidInput("per_fy has no numeric column to plot")
    years = [int(y) for y in frame.index]
    heading = title if title is not None else _placed(_words("growth", lang), province, lang)
    styles = ("o", "s", "^", "D", "v", "P")

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        for i, column in enumerate(series):
            th, en = _SERIES.get(str(column), (str(column), str(column)))
            ax.plot(years, frame[column].to_numpy(dtype=float), marker=styles[i % len(styles)],
                    color=palette.COMMUNITY_COLOURS[i % len(palette.COMMUNITY_COLOURS)],
                    label=chart_text(th, en, str(column), lang))
        ax.set_xticks(years, labels=[str(y) for y in years])
        ax.set_xlabel(_words("fy", lang))
        ax.set_title(heading)
        ax.grid(alpha=0.3)
        ax.legend()

    return _render(draw, fmt, (8.0, 4.5))
