"""Metrics: the KPIs insight computes from posts and members, per cohort and period.

- ``insight.metrics.kpis``: ``compute_kpis`` / ``kpi_trend`` (pandas, vectorised) and ``KpiValue``;
  ``insight.metrics.inputs``: the posts and members they read, prepared once per call;
  ``insight.metrics.aggregated``: the same KPI units from per-author and per-question aggregates
  (what stored data gives: ``insight.storage.kpi_units``), never a row per post.
- ``insight.metrics.dictionary``: ``load_kpi_dictionary`` reads the KPI dictionary (TOML) into
  ``KpiDefinition`` records; the packaged default is ``insight/default_kpis.toml``.
"""
