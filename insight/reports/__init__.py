"""Reports: the narrative report for a period, rendered to Markdown, self-contained HTML or JSON.

- ``render``: ``ReportData`` (everything a report shows, already aggregated), ``render_report``,
  ``report_charts`` and ``chart_files``; the Jinja2 templates live in ``templates/``.
- ``rows``: each section as display-ready rows for the templates.
- ``formatting``: KPI values, changes (arrow, size, better/worse) and shares in words.
- ``charts``: Vega-Lite specs (Altair) rendered offline to SVG and PNG by vl-convert.
- ``narrative``: cohort impact, win, worry, experiment and topic moves, from the numbers.
- ``story_choice``: which consented member story goes beside each KPI.
- ``annotations``: dated notes (experiments, releases, incidents, events) from a TOML file.
- ``run_record``: content hashes, models, seeds and config that make a report reproducible.

Gathering the data (KPIs, topics, sentiment, queue, stories) is the job of ``insight.services.reports``.
"""
