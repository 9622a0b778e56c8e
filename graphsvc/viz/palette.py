"""The one palette of graphsvc maps and charts: sectors, communities, ties, marks.

Sector colours are the Okabe–Ito palette, chosen to stay distinguishable under the common
colour-vision deficiencies (Okabe & Ito, "Color Universal Design", 2008; Wong, "Points of view:
Color blindness", Nature Methods 8, 441, 2011). The six default sectors have fixed colours;
sectors added by data (provinces with 7–9 networks) take the extra colours in the order given;
an organisation with no sector, or a sector beyond the palette, is drawn in
:data:`UNKNOWN_SECTOR_COLOUR`. Communities use Paul Tol's colour-blind-safe "muted" scheme
(P. Tol, "Colour Schemes", SRON/EPS/TN/09-002, 2021) followed by twelve of Kelly's colours of
maximum contrast (K. L. Kelly, "Twenty-two colors of maximum contrast", Color Engineering 3,
1965) that stay at least 20 CIELAB units from every colour before them: 22 distinct colours,
cycling beyond.

>>> sector_colours(["GOV", "XYZ"])["GOV"]
'#0072B2'
>>> community_colour(0)
'#332288'
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "COMMUNITY_COLOURS",
    "EDGE_COLOUR",
    "HIGHLIGHT_COLOUR",
    "PROPOSED_TIE_COLOUR",
    "SECTOR_COLOURS",
    "UNKNOWN_SECTOR_COLOUR",
    "community_colour",
    "sector_colours",
]

#: Fixed colours of the six default sectors (Okabe–Ito).
SECTOR_COLOURS: dict[str, str] = {
    "GOV": "#0072B2",  # blue
    "BIZ": "#E69F00",  # orange
    "EDU": "#009E73",  # bluish green
    "REL": "#F0E442",  # yellow
    "MED": "#CC79A7",  # reddish purple
    "CIV": "#D55E00",  # vermillion
}
#: Colours for sectors beyond the default six, in order (Okabe–Ito sky blue, then Tol muted).
_EXTRA_SECTOR_COLOURS = ("#56B4E9", "#882255", "#44AA99", "#999933", "#AA4499")
#: Organisations whose sector is missing or has no colour left.
UNKNOWN_SECTOR_COLOUR = "#9E9E9E"

#: Community colours, largest community first: Tol's "muted" scheme, then Kelly's colours.
COMMUNITY_COLOURS = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
    "#DDCC77", "#CC6677", "#882255", "#AA4499", "#6699CC",
    "#F3C300", "#875692", "#F38400", "#BE0032", "#848482", "#0067A5",
    "#F99379", "#882D17", "#8DB600", "#654522", "#E25822", "#2B3D26",
)  # fmt: skip

#: Existing ties: a neutral grey that lets node colours carry the meaning.
EDGE_COLOUR = "#8A8A8A"
#: Proposed (recommended) ties: drawn dashed in a colour no sector uses.
PROPOSED_TIE_COLOUR = "#E7298A"
#: Border of the highlighted organisation.
HIGHLIGHT_COLOUR = "#000000"


def sector_colours(codes: Iterable[str]) -> dict[str, str]:
    """A colour for each sector code: fixed for the default six, extras in the order given.

    Codes beyond the palette get :data:`UNKNOWN_SECTOR_COLOUR`.
    """
    out: dict[str, str] = {}
    extra = iter(_EXTRA_SECTOR_COLOURS)
    for code in codes:
        if code in out:
            continue
        out[code] = SECTOR_COLOURS.get(code) or next(extra, UNKNOWN_SECTOR_COLOUR)
    return out


def community_colour(index: int) -> str:
    """The colour of the community at ``index`` (0 = community 1, the largest), cycling beyond
    :data:`COMMUNITY_COLOURS`."""
    return COMMUNITY_COLOURS[index % len(COMMUNITY_COLOURS)]
