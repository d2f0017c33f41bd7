"""The report: the numbers behind each chart, the drawn bars, and the files written.

(The PNG of the sample journal was also looked at by eye while writing report.py.)
"""

from __future__ import annotations

import base64
import io
import re
from datetime import date
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.journal.report import (
    ReportData,
    build_report_data,
    png_bytes,
    render_figure,
    write_report,
)
from assistant.journal.store import Journal
from tests.journal import sample

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def report_inputs(journal: Journal) -> tuple:  # type: ignore[type-arg]
    return journal.sessions(), journal.heat_events(), journal.appreciations()


def test_report_data_matches_the_journal(journal: Journal) -> None:
    sample.fill(journal)
    data = build_report_data(*report_inputs(journal))
    assert data.partners == sample.PARTNERS
    assert data.speech_a == tuple(w[0] for w in sample.WEEKS)
    assert data.speech_b == tuple(w[1] for w in sample.WEEKS)
    assert data.share_a[0] == pytest.approx(100 * 290 / 460)
    assert data.voice_raises == (2, 1, 1, 0, 0, 0)
    assert data.pauses == (1, 1, 0, 0, 0, 0)
    assert data.session_days[0] == date(2024, 4, 7)
    # check-ins on Sundays count in the week that began the Monday before; empty weeks stay
    assert data.weeks == tuple(date(2024, 4, 1 + 7 * n) for n in range(5)) + (date(2024, 5, 6),)
    assert data.appreciations_a == (1, 1, 0, 1, 1, 1)
    assert data.appreciations_b == (0, 1, 0, 1, 0, 1)
    total = sum(data.appreciations_a) + sum(data.appreciations_b)
    assert total == len(journal.appreciations())


def bars(ax) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    return {c.get_label(): [float(v) for v in c.datavalues] for c in ax.containers}


def test_figure_draws_the_data(journal: Journal) -> None:
    sample.fill(journal)
    data = build_report_data(*report_inputs(journal))
    fig = render_figure(data)
    balance, heat, apprs = fig.axes
    assert balance.get_title(loc="left") == "Who talked how much in each check-in"
    assert balance.get_ylabel() == "share of speech time"
    drawn = bars(balance)
    assert drawn["Joon"] == pytest.approx(list(data.share_a))
    assert [a + b for a, b in zip(drawn["Joon"], drawn["Min-ji"], strict=True)] == pytest.approx(
        [100.0] * 6
    )
    assert [t.get_text() for t in balance.get_xticklabels()][:2] == ["7 Apr", "14 Apr"]
    assert "4:50" in [t.get_text() for t in balance.texts]  # Joon's first turn, in min:s
    assert bars(heat) == {"raised voices": [2, 1, 1, 0, 0, 0], "pauses taken": [1, 1, 0, 0, 0, 0]}
    assert bars(apprs) == {"from Joon": [1, 1, 0, 1, 1, 1], "from Min-ji": [0, 1, 0, 1, 0, 1]}
    assert [t.get_text() for t in apprs.get_xticklabels()][0] == "wk of 1 Apr"


def test_png_file_renders(journal: Journal, tmp_path: Path) -> None:
    from matplotlib.image import imread

    sample.fill(journal)
    out = tmp_path / "report.png"
    write_report(out, *report_inputs(journal))
    raw = out.read_bytes()
    assert raw.startswith(PNG_MAGIC)
    pixels = imread(io.BytesIO(raw))
    assert pixels.shape[:2] == (1100, 1000)
    assert pixels.std() > 0.1  # not a blank page
    assert out.stat().st_mode & 0o077 == 0


def test_html_embeds_the_chart_and_a_table(journal: Journal, tmp_path: Path) -> None:
    sample.fill(journal)
    sid = journal.begin_session("daily", ("<b>Kim</b>", "Lee & Park"), sample.FIRST_DAY)
    journal.end_session(sid, "completed", sample.FIRST_DAY)
    out = tmp_path / "report.html"
    write_report(out, *report_inputs(journal))
    page = out.read_text(encoding="utf-8")
    match = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert match is not None
    assert base64.b64decode(match.group(1)).startswith(PNG_MAGIC)
    assert page.count("<tr><td>") == len(sample.WEEKS) + 1
    assert "&lt;b&gt;Kim&lt;/b&gt;" in page and "<b>Kim</b>" not in page
    assert "a 10-minute nightly check-in; a 20-minute weekend walk" in page


def test_an_empty_journal_still_draws(tmp_path: Path) -> None:
    out = tmp_path / "empty.png"
    data = write_report(out, [], [], [])
    assert data.session_days == () and data.weeks == ()
    assert out.read_bytes().startswith(PNG_MAGIC)
    (ax,) = render_figure(data).axes
    assert ax.texts[0].get_text().startswith("No check-ins yet")


def test_many_check_ins_keep_labels_apart() -> None:
    days = tuple(date(2024, 1, 1 + n) for n in range(30))
    data = ReportData(
        ("A", "B"), days, (60.0,) * 30, (50.0,) * 30, (0,) * 30, (1,) * 30, (), (), ()
    )
    balance, heat, _ = render_figure(data).axes
    labels = [t.get_text() for t in balance.get_xticklabels()]
    assert len(labels) <= 14 and labels[0] == "1 Jan"
    assert len(bars(heat)["pauses taken"]) == 30


def test_only_png_or_html(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\.png or \.html"):
        write_report(tmp_path / "report.pdf", [], [], [])


def test_korean_names_draw_without_warnings() -> None:
    """pytest turns warnings into errors: a missing Hangul glyph must not escape."""
    data = ReportData(("준", "민지"), (date(2024, 1, 1),), (60.0,), (50.0,), (1,), (0,), (), (), ())
    assert png_bytes(data).startswith(PNG_MAGIC)
