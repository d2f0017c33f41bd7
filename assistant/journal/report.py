"""`checkin report`: three charts a couple can read at a glance, as PNG or HTML.

1. Speech-time balance: each check-in's measured speech split between the partners, as a
   share of 100 % with a line at equal time. A typed check-in measured no speech: its
   place holds a pale hatched bar labelled "typed", never a split.
2. Heat over time: raised voices, pauses and (with voices told apart) interruptions per
   check-in.
3. Appreciations per week, by who said them.
4. Speaking from "I" (once gentle words counted any): each partner in a panel of their
   own, the share of their statements that spoke from "I", by month, with a kind word
   against their own last month. Never one partner's numbers beside the other's.

The numbers come first (`ReportData`, pure, tested on its own); drawing is separate.
matplotlib is imported only inside the drawing functions, with the Agg canvas and no
pyplot, so no display and no global state is needed.
"""

from __future__ import annotations

import base64
import html
import io
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import ConfigError
from assistant.journal.history import minutes_seconds
from assistant.journal.paths import write_private
from assistant.journal.rows import SavedAppreciation, SavedHeat, SessionSummary
from assistant.journal.speaking import Month, encouragement, months
from assistant.text import visible

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

COLOR_A = "#3B75AF"  # first partner, in every chart
COLOR_B = "#EF8636"  # second partner
COLOR_VOICE = "#C0392B"
COLOR_PAUSE = "#7F8C8D"
COLOR_INTERRUPTION = "#8E44AD"
COLOR_TYPED = "#E4E4E4"
LABEL_LIMIT = 14  # write minutes inside bars only while they are wide enough to read


@dataclass(frozen=True)
class ReportData:
    """Everything the charts show, and nothing else."""

    partners: tuple[str, str]
    session_days: tuple[date, ...]  # one per check-in, oldest first
    speech_a: tuple[float, ...]  # measured speech seconds, first partner
    speech_b: tuple[float, ...]
    voice_raises: tuple[int, ...]
    pauses: tuple[int, ...]
    weeks: tuple[date, ...]  # Mondays, every week from the first appreciation to the last
    appreciations_a: tuple[int, ...]  # said by the first partner that week
    appreciations_b: tuple[int, ...]
    typed_sessions: tuple[bool, ...] = ()  # per check-in: typed, so no speech measured
    interruptions: tuple[int, ...] = ()  # per check-in, both partners' turns together
    speaking: tuple[tuple[str, tuple[Month, ...]], ...] = ()  # per partner: "I" by month

    @property
    def interruption_counts(self) -> tuple[int, ...]:
        """Per check-in (missing entries: none counted)."""
        given = self.interruptions[: len(self.session_days)]
        return given + (0,) * (len(self.session_days) - len(given))

    @property
    def typed(self) -> tuple[bool, ...]:
        """Per check-in, True when it was typed (missing entries: hands-free)."""
        given = self.typed_sessions[: len(self.session_days)]
        return given + (False,) * (len(self.session_days) - len(given))

    @property
    def share_a(self) -> tuple[float, ...]:
        """The first partner's share of the speech, in percent (50 when nobody spoke, 0 for a
        typed check-in, which has no share to draw)."""
        return tuple(
            0.0 if typed else 100.0 * a / (a + b) if a + b > 0 else 50.0
            for a, b, typed in zip(self.speech_a, self.speech_b, self.typed, strict=True)
        )

    @property
    def share_b(self) -> tuple[float, ...]:
        return tuple(0.0 if typed else 100.0 - a
                     for a, typed in zip(self.share_a, self.typed, strict=True))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def build_report_data(
    sessions: list[SessionSummary],
    heat: list[SavedHeat],
    appreciations: list[SavedAppreciation],
) -> ReportData:
    """Reduce journal rows to chart series. Partners are matched by position (first/second)."""
    partners = sessions[-1].partners if sessions else ("Partner 1", "Partner 2")
    speech_a, speech_b, voice, pauses = [], [], [], []
    for s in sessions:
        speech_a.append(s.speech.get(s.partners[0], 0.0))
        speech_b.append(s.speech.get(s.partners[1], 0.0))
        voice.append(sum(1 for h in heat if h.session_id == s.id and h.kind == "voice"))
        pauses.append(sum(1 for h in heat if h.session_id == s.id and h.kind == "pause"))
    first_of = {s.id: s.partners[0] for s in sessions}
    weeks: list[date] = []
    per_week_a: list[int] = []
    per_week_b: list[int] = []
    if appreciations:
        days = [a.at.astimezone().date() for a in appreciations]
        week = week_start(min(days))
        last = week_start(max(days))
        while week <= last:
            weeks.append(week)
            said = [a for a, d in zip(appreciations, days, strict=True) if week_start(d) == week]
            by_first = sum(1 for a in said if a.from_partner == first_of.get(a.session_id))
            per_week_a.append(by_first)
            per_week_b.append(len(said) - by_first)
            week += timedelta(weeks=1)
    return ReportData(
        partners=partners,
        session_days=tuple(s.started_at.astimezone().date() for s in sessions),
        speech_a=tuple(speech_a),
        speech_b=tuple(speech_b),
        voice_raises=tuple(voice),
        pauses=tuple(pauses),
        weeks=tuple(weeks),
        appreciations_a=tuple(per_week_a),
        appreciations_b=tuple(per_week_b),
        typed_sessions=tuple(s.typed for s in sessions),
        interruptions=tuple(sum(s.interruptions.values()) for s in sessions),
        speaking=tuple((p, tuple(m)) for p, m in months(sessions).items()),
    )


def _day_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", color="#666666", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _label_x(ax: Axes, labels: list[str], most: int) -> None:
    """Tick labels under the bars, thinned to at most `most` so they never overlap."""
    step = -(-len(labels) // most)  # ceiling division
    positions = list(range(len(labels)))
    ax.set_xticks(positions[::step], labels[::step])


def _whole_numbers(ax: Axes) -> None:
    """Counts are whole: no 0.5 raised voices on the y axis."""
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _tidy(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)


def _draw_balance(ax: Axes, data: ReportData) -> None:
    a_name, b_name = map(_label, data.partners)
    ax.set_title("Who talked how much in each check-in", loc="left", fontweight="bold")
    if not data.session_days:
        _empty(ax, "No check-ins yet")
        return
    x = list(range(len(data.session_days)))
    share_a, share_b = data.share_a, data.share_b
    ax.bar(x, share_a, color=COLOR_A, width=0.7, label=a_name)
    ax.bar(x, share_b, bottom=share_a, color=COLOR_B, width=0.7, label=b_name)
    if any(data.typed):
        ax.bar(x, [100.0 if t else 0.0 for t in data.typed], color=COLOR_TYPED, width=0.7,
               hatch="//", edgecolor="#BBBBBB", linewidth=0, label="typed: no speech")
    ax.axhline(50, color="#222222", linestyle="--", linewidth=1, label="equal time")
    if len(x) <= LABEL_LIMIT:
        rows = zip(data.speech_a, data.speech_b, share_a, data.typed, strict=True)
        for i, (sa, sb, pa, typed) in enumerate(rows):
            if typed:
                ax.text(i, 50, "typed", ha="center", va="center", fontsize=8,
                        backgroundcolor=COLOR_TYPED)
                continue
            if sa + sb <= 0:
                ax.text(i, 50, "no speech\nmeasured", ha="center", va="center", fontsize=8)
                continue
            ax.text(
                i, pa / 2, minutes_seconds(sa), ha="center", va="center", color="white", fontsize=9
            )
            ax.text(
                i,
                pa + (100 - pa) / 2,
                minutes_seconds(sb),
                ha="center",
                va="center",
                color="white",
                fontsize=9,
            )
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_ylabel("share of speech time")
    _label_x(ax, [_day_label(d) for d in data.session_days], most=LABEL_LIMIT)
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        title="speech (min:s)",
        alignment="left",
    )
    _tidy(ax)


def _draw_heat(ax: Axes, data: ReportData) -> None:
    ax.set_title("Raised voices, pauses and interruptions in each check-in", loc="left",
                 fontweight="bold")
    if not data.session_days:
        _empty(ax, "No check-ins yet")
        return
    x = list(range(len(data.session_days)))
    ax.bar(x, data.voice_raises, color=COLOR_VOICE, width=0.7, label="raised voices")
    ax.bar(
        x, data.pauses, bottom=data.voice_raises, color=COLOR_PAUSE, width=0.7, label="pauses taken"
    )
    counts = data.interruption_counts
    if any(counts):
        below = [v + p for v, p in zip(data.voice_raises, data.pauses, strict=True)]
        ax.bar(x, counts, bottom=below, color=COLOR_INTERRUPTION, width=0.7,
               label="interruptions")
    top = max((v + p + i for v, p, i in zip(data.voice_raises, data.pauses, counts,
                                            strict=True)), default=0)
    if top == 0:
        ax.text(
            0.5,
            0.5,
            "No raised voices, pauses or interruptions",
            ha="center",
            va="center",
            color="#666666",
            transform=ax.transAxes,
        )
    ax.set_ylim(0, max(top, 3) + 0.5)
    _whole_numbers(ax)
    ax.set_ylabel("events")
    _label_x(ax, [_day_label(d) for d in data.session_days], most=LABEL_LIMIT)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    _tidy(ax)


def _draw_appreciations(ax: Axes, data: ReportData) -> None:
    a_name, b_name = map(_label, data.partners)
    ax.set_title("Appreciations saved per week", loc="left", fontweight="bold")
    if not data.weeks:
        _empty(ax, "No appreciations saved yet")
        return
    x = list(range(len(data.weeks)))
    ax.bar(x, data.appreciations_a, color=COLOR_A, width=0.7, label=f"from {a_name}")
    ax.bar(
        x,
        data.appreciations_b,
        bottom=data.appreciations_a,
        color=COLOR_B,
        width=0.7,
        label=f"from {b_name}",
    )
    top = max(a + b for a, b in zip(data.appreciations_a, data.appreciations_b, strict=True))
    ax.set_ylim(0, max(top, 2) + 0.5)
    _whole_numbers(ax)
    ax.set_ylabel("appreciations")
    _label_x(ax, [f"wk of {_day_label(w)}" for w in data.weeks], most=LABEL_LIMIT // 2)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    _tidy(ax)


def _draw_speaking(ax: Axes, partner: str, history: tuple[Month, ...], color: str) -> None:
    """One partner's own share of "I" statements by month, and a kind word."""
    ax.set_title(f"{_label(partner)}: speaking from \"I\"", loc="left", fontweight="bold")
    x = list(range(len(history)))
    ax.bar(x, [100 * m.share for m in history], color=color, width=0.6)
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 50, 100], ["0%", "50%", "100%"])
    ax.set_ylabel("of what you shared")
    _label_x(ax, [f"{m.first_day:%b %Y}" for m in history], most=LABEL_LIMIT // 2)
    ax.text(0.0, -0.24, _label(encouragement(list(history))), transform=ax.transAxes,
            color="#444444")
    _tidy(ax)


def _font_families() -> list[str]:
    """DejaVu Sans, plus an installed CJK font so Korean names are not drawn as boxes."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    wanted = ["DejaVu Sans", "Noto Sans CJK KR", "NanumGothic", "Noto Sans KR", "UnDotum"]
    return [name for name in wanted if name in installed] or ["sans-serif"]


def render_figure(data: ReportData) -> Figure:
    """The three charts stacked in one figure (no pyplot: safe off the main thread)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context({"font.family": _font_families(), "font.size": 10}):
        if not data.session_days and not data.weeks:
            fig = Figure(figsize=(10, 2), dpi=100, layout="constrained")
            _empty(fig.subplots(), "No check-ins yet: the charts fill in after the first one.")
            fig.axes[0].set_frame_on(False)
            return fig
        if not data.speaking:
            fig = Figure(figsize=(10, 11), dpi=100, layout="constrained")
            balance, heat, apprs = fig.subplots(3, 1)
        else:
            fig = Figure(figsize=(10, 14), dpi=100, layout="constrained")
            axes = fig.subplot_mosaic("bb;hh;aa;01")  # the "I" panels side by side, below
            balance, heat, apprs = axes["b"], axes["h"], axes["a"]
            colors = {p: c for p, c in zip(data.partners, (COLOR_A, COLOR_B), strict=True)}
            for i in range(2):
                if i < len(data.speaking):
                    partner, history = data.speaking[i]
                    _draw_speaking(axes[str(i)], partner, history,
                                   colors.get(partner, COLOR_A))
                else:
                    axes[str(i)].set_visible(False)
        _draw_balance(balance, data)
        _draw_heat(heat, data)
        _draw_appreciations(apprs, data)
        a, b = map(_label, data.partners)
        fig.suptitle(f"Check-ins of {a} and {b}", fontsize=14, fontweight="bold")
    return fig


def png_bytes(data: ReportData) -> bytes:
    from matplotlib import rc_context

    fig = render_figure(data)
    buffer = io.BytesIO()
    with rc_context({"font.family": _font_families()}), warnings.catch_warnings():
        # Without a CJK font Korean names show as boxes; say so in the docs, not per glyph.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buffer, format="png", dpi=100, facecolor="white")
    return buffer.getvalue()


def _label(name: str) -> str:
    """A name as a chart draws it: control characters visible, and a dollar sign a dollar
    sign (matplotlib reads text between two as a formula, and fails on a broken one)."""
    return visible(name).replace("$", r"\$")


def _html(text: str) -> str:
    return html.escape(visible(text))


def html_page(data: ReportData, sessions: list[SessionSummary], png: bytes) -> str:
    """A single self-contained page: the charts (inline PNG) and a small table."""
    rows = []
    for s in reversed(sessions):
        times = s.used if s.typed else s.speech
        talk = " · ".join(
            f"{_html(n)} {minutes_seconds(times.get(n, 0.0))}" for n in s.partners
        )
        if s.typed:
            talk = f"typed, time taken: {talk}"
        duration = "unfinished" if s.duration is None else f"{round(s.duration / 60)} min"
        rows.append(
            "<tr>"
            f"<td>{s.started_at.astimezone():%Y-%m-%d}</td>"
            f"<td>{_html(s.guide)}</td><td>{duration}</td><td>{talk}</td>"
            f"<td>{s.voice_raises}</td><td>{s.pauses}</td>"
            f"<td>{sum(s.interruptions.values())}</td>"
            f"<td>{_html('; '.join(s.rituals))}</td>"
            "</tr>"
        )
    a, b = (_html(p) for p in data.partners)
    image = base64.b64encode(png).decode("ascii")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Check-ins of {a} and {b}</title>
<style>
body {{ font-family: sans-serif; max-width: 1040px; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; }}
img {{ max-width: 100%; }}
</style></head><body>
<img alt="Charts: speech-time balance, raised voices and pauses, appreciations per week"
 src="data:image/png;base64,{image}">
<h2>Check-ins</h2>
<table>
<tr><th>Date</th><th>Guide</th><th>Length</th><th>Speech (min:s)</th>
<th>Raised voices</th><th>Pauses</th><th>Interruptions</th><th>Rituals agreed</th></tr>
{chr(10).join(rows)}
</table>
</body></html>
"""


def write_report(
    out: Path,
    sessions: list[SessionSummary],
    heat: list[SavedHeat],
    appreciations: list[SavedAppreciation],
) -> ReportData:
    """Write a .png or .html report to `out`; return the data it shows."""
    suffix = out.suffix.lower()
    if suffix not in (".png", ".html", ".htm"):
        raise ConfigError(f"--out must end in .png or .html, not {out.name!r}.")
    data = build_report_data(sessions, heat, appreciations)
    png = png_bytes(data)
    payload = png if suffix == ".png" else html_page(data, sessions, png).encode("utf-8")
    write_private(out, payload)
    return data
