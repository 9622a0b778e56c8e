"""A planner's answers for sign-in names that did not resolve.

For each written name (with its province) the planner either picks an existing organisation,
which records the written form as one more alias of it (so the next sheet resolves by itself),
or marks it as a new organisation (with sector and province), or skips it (the rows naming it are
left out, as without an answer). :func:`apply_choices` turns the answers into organisation rows
added to a batch before names are resolved, so they are written in the same transaction as the
rest of the sheet and an undo of that write takes them back too.

A new organisation's ``org_id`` is derived from its province and name
(``TH21-N-<8 hex digits of the name's match key>``), so previewing the same files with the same
answers twice gives the same batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from graphsvc.errors import InvalidInput
from graphsvc.model.records import TABLES
from graphsvc.model.text import display_name, match_key

__all__ = ["NameChoice", "apply_choices", "new_org_id"]

Action = Literal["pick", "new", "skip"]


@dataclass(frozen=True, slots=True)
class NameChoice:
    """What to do with one written name (as written in ``province``, the sheet's): ``pick``
    an ``org_id``, make it ``new`` (in ``sector``, and in ``new_province`` if given, else the
    sheet's province), or ``skip`` it."""

    name: str
    province: str | None
    action: Action
    org_id: str | None = None
    sector: str | None = None
    new_province: str | None = None

    def __post_init__(self) -> None:
        if self.action not in ("pick", "new", "skip"):
            raise InvalidInput(f"unknown choice {self.action!r}; use pick, new or skip")
        if self.action == "pick" and not self.org_id:
            raise InvalidInput(f"choose an organisation for {self.name!r}")


def new_org_id(name: str, province: str | None) -> str:
    """The id a new organisation named ``name`` in ``province`` gets (stable)."""
    digest = hashlib.sha256(match_key(name).encode("utf-8")).hexdigest()[:8]
    prefix = (province or "XX").replace("-", "")
    return f"{prefix}-N-{digest}"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value == ""


def _plain(value: Any) -> Any:
    return None if _blank(value) else value


def _with_alias(aliases: Any, name: str) -> str:
    known = [] if _blank(aliases) else [a for a in str(aliases).split("|") if a]
    if name not in known:
        known.append(name)
    return "|".join(known)


def apply_choices(batch_orgs: pd.DataFrame, stored_orgs: pd.DataFrame,
                  choices: Sequence[NameChoice]) -> pd.DataFrame:
    """``batch_orgs`` (cleaned organisation rows of a run) with the choices' rows in it.

    A picked organisation that the batch writes gets the alias on its batch row; one that is
    only stored is added as its stored row plus the alias. A new organisation is added as a
    member with the written name (display form) as its Thai name. Raises
    :class:`~graphsvc.errors.InvalidInput` for a pick of an unknown organisation.
    """
    frame = batch_orgs.copy()
    extra_cols = [c for c in frame.columns if c not in TABLES["organisations"].columns]
    stored = stored_orgs.set_index("org_id", drop=False) if len(stored_orgs) else None
    added: list[dict[str, Any]] = []
    for choice in choices:
        if choice.action == "skip":
            continue
        name = display_name(choice.name).replace("|", " ").strip()
        if choice.action == "pick":
            in_batch = frame.index[frame["org_id"] == choice.org_id]
            in_added = [r for r in added if r["org_id"] == choice.org_id]
            if len(in_batch):
                pos = in_batch[-1]
                frame.at[pos, "aliases"] = _with_alias(frame.at[pos, "aliases"], name)
            elif in_added:
                in_added[-1]["aliases"] = _with_alias(in_added[-1]["aliases"], name)
            elif stored is not None and choice.org_id in stored.index:
                row = {c: _plain(stored.at[choice.org_id, c])
                       for c in TABLES["organisations"].columns}
                row["aliases"] = _with_alias(row["aliases"], name)
                added.append(row)
            else:
                raise InvalidInput(f"no organisation {choice.org_id!r} to add the name to",
                                   [{"org_id": choice.org_id, "name": choice.name}])
        else:
            where = choice.new_province or choice.province
            org_id = new_org_id(name, where)
            if any(r["org_id"] == org_id for r in added) or (frame["org_id"] == org_id).any():
                continue
            added.append({"org_id": org_id, "name_th": name, "name_en": None,
                          "match_key": match_key(name), "sector": choice.sector or None,
                          "province_code": where or None, "org_type": None,
                          "aliases": None, "status": "member", "joined_date": None,
                          "extra": None})
    if not added:
        return frame
    rows = pd.DataFrame([{**r, **{c: None for c in extra_cols}} for r in added],
                        columns=list(frame.columns), dtype=object)
    rows["src_file"] = "(choices)"
    return pd.concat([frame.astype(object), rows], ignore_index=True)
