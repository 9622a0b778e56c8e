"""The shared test networks (tests/fixtures.py) have exactly the columns the store keeps."""

from __future__ import annotations

from fixtures import WEB_ORGS, network_batch, web_batch

from graphsvc.model.records import TABLES


def test_the_web_network_has_the_columns_of_every_table() -> None:
    batch = web_batch()
    for name, frame in batch.tables().items():
        assert list(frame.columns) == list(TABLES[name].columns)
    assert batch.counts()["organisations"] == len(WEB_ORGS)


def test_the_contract_network_has_the_columns_of_every_table() -> None:
    for name, frame in network_batch().tables().items():
        assert list(frame.columns) == list(TABLES[name].columns)
