"""The metric catalogue names every number once, in Thai and English, and every surface reads it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from graphsvc.analysis import METRIC_COLUMNS
from graphsvc.api.app import create_app
from graphsvc.api.views import SUMMARY_CARDS
from graphsvc.cli.analyze import TABLE_COLUMNS
from graphsvc.config import Settings
from graphsvc.model.catalogue import (
    COLLAB_TYPE_LABELS,
    METRICS,
    NODE_METRICS,
    STATUS_LABELS,
    format_metric,
)
from graphsvc.model.records import COLLAB_TYPES, ORG_STATUSES
from graphsvc.viz.wording import TOOLTIP_METRICS, tooltip

THAI = re.compile("[\u0e00-\u0e7f]")
IDENTITY = {"org_id", "name", "sector", "province", "status"}


def test_every_column_of_the_metrics_table_is_in_the_catalogue_and_back():
    assert {m.id for m in NODE_METRICS} == set(METRIC_COLUMNS) - IDENTITY


@pytest.mark.parametrize("columns", [TABLE_COLUMNS, TOOLTIP_METRICS],
                         ids=["cli-table", "map-tooltip"])
def test_every_surface_names_only_catalogue_metrics(columns):
    assert set(columns) - IDENTITY <= set(METRICS)


def test_every_summary_card_is_a_catalogue_metric_or_a_status_count():
    assert set(SUMMARY_CARDS) - {"members", "candidates"} <= set(METRICS)


@pytest.mark.parametrize("metric", list(METRICS.values()), ids=lambda m: m.id)
def test_every_metric_has_thai_and_english_words(metric):
    assert THAI.search(metric.label_th) and THAI.search(metric.explain_th)
    assert metric.label_en and metric.explain_en and not THAI.search(metric.explain_en)


def test_labels_are_unique_in_each_language_per_level():
    for level in ("node", "network"):
        for lang in ("th", "en"):
            labels = [m.label(lang) for m in METRICS.values() if m.level == level]
            assert len(labels) == len(set(labels)), (level, lang)


def test_statuses_and_collaboration_types_have_words():
    assert set(ORG_STATUSES) <= set(STATUS_LABELS)
    assert set(COLLAB_TYPES) <= set(COLLAB_TYPE_LABELS)


def test_values_read_as_people_read_them():
    assert format_metric("density", 0.0384) == "3.8%"
    assert format_metric("cut_off", 4.0) == "4"
    assert format_metric("brokerage", 2798) == "2,798"
    assert format_metric("pagerank", 0.0862812) == "0.0863"


def test_a_tooltip_uses_the_catalogue_label_and_format():
    text = tooltip("a", {"name": "A"}, {"betweenness": 0.5553, "degree": 77}, {}, "th")
    assert "บทบาทตัวกลาง: 55.5%" in text and "จำนวนภาคีที่ทำงานร่วม: 77" in text


def test_the_api_serves_the_catalogue(tmp_path):
    app = create_app(Settings(store_url=f"sqlite:///{tmp_path / 'c.db'}"))
    with TestClient(app) as client:
        body = client.get("/api/catalogue").json()
    assert [m["id"] for m in body] == list(METRICS)
    assert body[0].keys() >= {"label_th", "label_en", "explain_th", "explain_en", "format",
                              "sizes_nodes"}
