"""Live feeds in their providers' own protocols: one adapter per provider behind one interface
(ingestion/feeds/base.py). Adding a provider is a new module here and a registry entry."""
from __future__ import annotations

from ingestion.http_client import RetryPolicy
from ingestion.registry import Source
from ingestion.settings import Paths


def adapter_classes() -> dict:
    from ingestion.feeds.acled import AcledAdapter
    from ingestion.feeds.parline import ParlineAdapter
    from ingestion.feeds.reliefweb import ReliefWebAdapter
    from ingestion.feeds.ucdp import UcdpAdapter

    return {cls.name: cls for cls in (AcledAdapter, UcdpAdapter, ReliefWebAdapter, ParlineAdapter)}


def adapter_for(source: Source, paths: Paths, logical_date: str, policy: RetryPolicy = RetryPolicy()):
    return adapter_classes()[source.adapter](source, paths, logical_date, policy)
