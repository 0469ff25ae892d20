"""The demo's HTML report in headless Chromium: every KPI shows a chart, a story (or the note why not)
and a number, and the screenshot is a real, rendered page.

Needs a system Chromium (Debian: ``apt-get install chromium``) and the ``playwright`` package from
the dev extra; it never downloads a browser. Skipped when either is missing.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from insight.services import reports
from insight.services.demo import DEMO_ANNOTATIONS
from insight.storage.db import make_engine
from tests.support.browser import ARGS, CHROMIUM

pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="no system chromium installed")]


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and raw rows of an 8-bit RGB(A) PNG (what Chromium writes), without Pillow."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):  # undo the PNG row filters
            left = line[i - channels] if i >= channels else 0
            up, corner = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line[x] for x in range(0, stride, channels)))  # the red channel is enough
        prev = line
    return width, height, rows


def test_demo_report_in_chromium_shows_every_kpi_with_chart_story_and_number(  # type: ignore[no-untyped-def]
        demo_run, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    summary, demo_out, settings = demo_run
    html = Path(summary["report"])  # the demo's own HTML report
    data = reports.build_report(make_engine(settings), settings, summary["period"],
                                kpi_dictionary=demo_out / "data" / "kpis.toml", annotations=DEMO_ANNOTATIONS)
    shot = tmp_path / "report.png"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        found = page.evaluate("""() => [...document.querySelectorAll('article.kpi')].map(a => {
            const svg = a.querySelector('figure[data-chart-kind=trend] svg');
            const box = svg ? svg.getBoundingClientRect() : null;
            return {id: a.dataset.kpi, value: a.querySelector('[data-value]')?.textContent,
                    n: a.querySelector('[data-n]')?.textContent,
                    marks: svg ? svg.querySelectorAll('path, line, circle, text').length : 0,
                    chart: box ? [box.width, box.height] : null,
                    story: a.querySelector('blockquote[data-story]')?.textContent.trim() || null,
                    note: a.querySelector('[data-story=none]')?.textContent || null};
        })""")
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(path=str(shot), full_page=True)
        chart_png = page.locator("article.kpi figure[data-chart-kind=trend] svg").first.screenshot()
        browser.close()
    assert [k["id"] for k in found] == [k["id"] for k in data.kpis]
    # A KPI the taxonomy links stories to shows one (the KPIs no tag names say there is none).
    linked = {p["kpi_id"] for p in data.story_metric_pairs}
    for kpi in found:
        assert kpi["value"] and any(ch.isdigit() for ch in kpi["value"]), kpi
        assert kpi["n"] and kpi["n"].startswith("n = "), kpi
        assert kpi["chart"] and kpi["chart"][0] > 300 and kpi["chart"][1] > 120, kpi  # drawn at a readable size
        assert kpi["marks"] > 10, kpi  # axes, line, points and labels were rendered
        assert kpi["story"] or "No consented story" in kpi["note"], kpi
        assert kpi["story"] or kpi["id"] not in linked, kpi
    assert sum(bool(kpi["story"]) for kpi in found) >= 6
    # The screenshot: a long page (every KPI gets its own block), and the first chart is not blank.
    width, shot_height = struct.unpack(">II", shot.read_bytes()[16:24])
    assert width == 1280 and shot_height == height > 900 * 4
    _, _, rows = png_pixels(chart_png)
    dark = sum(v < 128 for row in rows for v in row)
    light = sum(v > 200 for row in rows for v in row)
    assert dark > 500 and light > dark  # ink on a white ground: line, points, labels, axes; not an empty box
