"""Reports: the narrative report for a period, rendered to Markdown or self-contained HTML.

``insight.reports.render`` holds ``ReportData`` (everything a report shows, already
aggregated) and ``render_report(data, fmt)``; the Jinja2 templates live in ``templates/``.
Gathering the data (KPIs, topics, sentiment, queue) is the job of ``insight.services``.
"""
