"""The live terminal view: what a couple glances at from the sofa, a metre away.

`render(screen, width, height)` is a pure function from a `Screen` (a snapshot the
session fills in) and the terminal's size to a rich renderable of exactly that many
rows, so the view is tested by rendering to text at several sizes. Everything that
moves comes from the snapshot (the flow's clocks, the hearing's level); nothing here
reads a clock. During a turn the countdown is drawn in a block font scaled to take at
least a third of the height; during a pause a breathing shape grows for four seconds
and shrinks for six. `LiveView` puts it on the whole terminal with rich's Live;
`PlainView` prints only what changes, for `--no-display` and for terminals that are
not terminals. Names, captions, what was heard and prompts (which quote what was said)
are people's text: each is drawn through `visible` (assistant/text.py), never obeyed.
"""

from __future__ import annotations

import math
import os
import textwrap
from dataclasses import dataclass, field
from typing import IO

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

from assistant.flow.machine import FlowView
from assistant.flow.states import Edge, Hold
from assistant.flow.steps import ItemView, TurnView
from assistant.text import visible

KEYS_HELP = "space next · p pause · r repeat · q stop"
PARTNER_COLOURS = ("cyan", "magenta")  # partner A, partner B: the name, the digits, the bar
CALM = "bright_blue"  # the pause and its breathing shape
SOFT = "yellow"  # the last minute, heat, notes: noticeable, never alarming
MIN_SIZE = (40, 12)  # below this the view is still drawn, only cramped

# A 5-row block font for the countdown; `big` scales it by whole cells.
_DIGITS = {
    "0": ["███", "█ █", "█ █", "█ █", "███"],
    "1": [" █ ", "██ ", " █ ", " █ ", "███"],
    "2": ["███", "  █", "███", "█  ", "███"],
    "3": ["███", "  █", "███", "  █", "███"],
    "4": ["█ █", "█ █", "███", "  █", "  █"],
    "5": ["███", "█  ", "███", "  █", "███"],
    "6": ["███", "█  ", "███", "█ █", "███"],
    "7": ["███", "  █", "  █", "  █", "  █"],
    "8": ["███", "█ █", "███", "█ █", "███"],
    "9": ["███", "█ █", "███", "  █", "███"],
    ":": [" ", "█", " ", "█", " "],
}
GLYPH_ROWS = 5

# The breathing guide: in for about four seconds, out for about six.
BREATHE_IN = 4.0
BREATHE_OUT = 6.0
SMALLEST_BREATH = 0.15  # the shape's size at the bottom of an out-breath (of its largest)


@dataclass
class Screen:
    """Everything the view shows, filled in by the session between frames."""

    view: FlowView
    partners: tuple[str, str]
    level_db: float | None = None  # the room's current level (dBFS)
    baseline_db: float | None = None  # the current speaker's calm baseline
    caption: str = ""  # what the current speaker is saying (cleared at each turn)
    prompt: str = ""  # the last thing the assistant said
    show_caption: bool = True
    notes: list[str] = field(default_factory=list)  # e.g. "microphone lost"
    continue_word: str = "continue"  # what to say to end a pause, in the guide's language


# ------------------------------------------------------------------ pieces


def clock_text(seconds: float) -> str:
    """m:ss, rounded up so a turn shows 0:00 only when it is really over."""
    whole = max(0, int(-(-seconds // 1)))
    return f"{whole // 60}:{whole % 60:02d}"


def big(text: str, scale: int = 1) -> str:
    """Text in the block font (digits and colons), `scale` rows per font row and twice
    that many columns per font column, since a terminal cell is about twice as tall
    as it is wide."""
    rows = [""] * (GLYPH_ROWS * scale)
    gap = " " * scale
    for n, char in enumerate(text):
        glyph = _DIGITS.get(char, ["   "] * GLYPH_ROWS)
        for r, line in enumerate(glyph):
            wide = "".join(c * 2 * scale for c in line)
            for k in range(scale):
                rows[r * scale + k] += (gap if n else "") + wide
    return "\n".join(row.rstrip() for row in rows)


def big_width(text: str, scale: int) -> int:
    """Columns `big(text, scale)` takes."""
    cols = sum(len(_DIGITS.get(c, ["   "])[0]) for c in text)
    return cols * 2 * scale + max(0, len(text) - 1) * scale


def digit_scale(text: str, width: int, rows: int) -> int:
    """The largest whole scale at which `text` fits `width` columns and `rows` rows."""
    scale = 1
    while big_width(text, scale + 1) <= width and GLYPH_ROWS * (scale + 1) <= rows:
        scale += 1
    return scale


def partner_colour(partners: tuple[str, str], name: str | None) -> str:
    """Each partner keeps one colour everywhere in the view."""
    if name in partners:
        return PARTNER_COLOURS[partners.index(name)]
    return "white"


def meter(level: float | None, baseline: float | None, width: int = 40,
          floor: float = -70.0) -> Text:
    """A level bar from `floor` to 0 dBFS with the calm baseline marked as |."""
    text = Text()
    if level is None:
        return Text("level  (no sound yet)", style="dim")

    def pos(db: float) -> int:
        return max(0, min(width - 1, int((db - floor) / -floor * width)))

    filled = pos(level) + 1 if level > floor else 0
    mark = pos(baseline) if baseline is not None else None
    loud = baseline is not None and level > baseline + 8
    text.append("level  ")
    for i in range(width):
        if i == mark:
            text.append("|", style="bold")
        elif i < filled:
            text.append("█", style=SOFT if loud else "green")
        else:
            text.append("·", style="dim")
    text.append(f"  {level:5.1f} dB")
    if baseline is not None:
        text.append(f"  (calm {baseline:.0f})", style="dim")
    return text


def balance(partners: tuple[str, str], talk: dict[str, float], width: int = 40) -> Text:
    """A bar split by each partner's share of the talking so far, in their colours
    (and two textures, for a terminal without colour)."""
    a, b = partners
    ta, tb = talk.get(a, 0.0), talk.get(b, 0.0)
    total = ta + tb
    share = 0.5 if total <= 0 else ta / total
    left = int(round(share * width))
    text = Text()
    text.append(f"{visible(a)} {clock_text(ta)} ", style=f"bold {PARTNER_COLOURS[0]}")
    text.append("█" * left, style=PARTNER_COLOURS[0])
    text.append("▒" * (width - left), style=PARTNER_COLOURS[1])  # split visible without colour
    text.append(f" {clock_text(tb)} {visible(b)}", style=f"bold {PARTNER_COLOURS[1]}")
    return text


HEAT_WORDS = ("all calm", "a little heat", "some heat", "time to be gentle")


def heat(count: int) -> Text:
    """Raised voices and pauses so far as three soft dots and a few words."""
    shown = min(count, 3)
    text = Text(HEAT_WORDS[shown] + "  ", style="dim")
    text.append("● " * shown, style=SOFT)
    text.append("○ " * (3 - shown), style="dim")
    text.rstrip()
    return text


def breath(elapsed: float) -> tuple[str, float, float]:
    """Where a breath is `elapsed` seconds into the pause: ("in" or "out", the shape's
    size from SMALLEST_BREATH to 1, seconds left of this half). Eased, so the shape
    slows at the top and the bottom the way a breath does."""
    t = max(0.0, elapsed) % (BREATHE_IN + BREATHE_OUT)
    if t < BREATHE_IN:
        phase, done, left = "in", t / BREATHE_IN, BREATHE_IN - t
        grown = (1 - math.cos(math.pi * done)) / 2
    else:
        phase, done, left = "out", (t - BREATHE_IN) / BREATHE_OUT, BREATHE_IN + BREATHE_OUT - t
        grown = (1 + math.cos(math.pi * done)) / 2
    return phase, SMALLEST_BREATH + (1 - SMALLEST_BREATH) * grown, left


def breathing_shape(size: float, rows: int, width: int) -> list[str]:
    """A filled ellipse `size` of the largest that fits rows x width, centred, in
    exactly `rows` lines (so the rest of the view never moves as it breathes)."""
    radius_y = max(0.5, (rows - 1) / 2)
    radius_x = min(width / 2 - 1, radius_y * 2.2)  # cells are about twice as tall as wide
    ry, rx = radius_y * size, radius_x * size
    centre = (rows - 1) / 2
    lines = []
    for r in range(rows):
        dy = (r - centre) / ry if ry > 0 else 2.0
        if abs(dy) > 1:
            lines.append("")
            continue
        half = int(round(rx * math.sqrt(1 - dy * dy)))
        lines.append("█" * (2 * half + 1))
    return lines


# ------------------------------------------------------------------ the frame


def render(screen: Screen, width: int = 80, height: int = 24) -> RenderableType:
    """The whole view for one frame: exactly `height` rows, none wider than `width`."""
    width, height = max(width, MIN_SIZE[0]), max(height, MIN_SIZE[1])
    view = screen.view
    activity = view.activity
    top = [_header(view, width), Text("")]
    bottom = _bottom(screen, width)
    room = height - len(top) - len(bottom)
    if view.pause_left is not None:
        middle = _pause(view, screen, width, room)
    elif isinstance(activity, TurnView):
        middle = _turn(activity, screen, width, room)
    else:
        middle = _between(view, screen, width, room)
    rows = top + _centred_block(middle, room) + bottom
    return Group(*(_fit(row, width) for row in rows[:height]))


def _header(view: FlowView, width: int) -> Text:
    title = Text()
    if view.step_index >= 0:
        title.append(f"Step {view.step_index + 1} of {view.step_count}: ", style="bold")
    title.append(visible(view.step_title), style="bold")
    right = heat(view.heat_count)
    spare = width - title.cell_len - right.cell_len
    if spare >= 2:
        title.append(" " * spare)
        title.append_text(right)
    return title


def _turn(turn: TurnView, screen: Screen, width: int, room: int) -> list[Text]:
    """Whose turn, the countdown as large as fits (half the height at most), the
    balance and the level."""
    colour = partner_colour(screen.partners, turn.speaker)
    listener = next((p for p in screen.partners if p != turn.speaker), "")
    who = Text(f"{visible(turn.speaker)}'s turn", style=f"bold {colour}")
    if listener:
        who.append(f"  ·  {visible(listener)} listens", style="dim")
    clock = clock_text(turn.remaining)
    others = 1 + 1 + 1 + 1 + 1  # who, space, space, balance, level
    scale = digit_scale(clock, width - 2, min(room - others, max(GLYPH_ROWS, room // 2 + 2)))
    style = f"bold {SOFT}" if turn.remaining <= 60 else f"bold {colour}"
    digits = _block(big(clock, scale), style)
    if turn.remaining <= 0:
        who.append("  ·  time's up: finish your thought", style=SOFT)
    names = [visible(p) for p in screen.partners]
    bar = max(10, min(max(40, width // 2), width - 2 * max(map(len, names)) - 14))
    return [who, Text(""), *digits, Text(""), balance(screen.partners, screen.view.talk, bar),
            meter(screen.level_db, screen.baseline_db, max(10, min(40, width - 40)))]


def _pause(view: FlowView, screen: Screen, width: int, room: int) -> list[Text]:
    """The cool-down: a shape to breathe with, the time left, and how to go on."""
    left = view.pause_left or 0.0
    phase, size, phase_left = breath(view.pause_length - left)
    words = "Breathe in" if phase == "in" else "Breathe out"
    label = Text(f"{words}  ·  {math.ceil(phase_left)}", style=f"bold {CALM}")
    scale = 1 if room < 34 else 2
    clock = _block(big(clock_text(left), scale), CALM)
    clock_note = Text(f"{clock_text(left)} left of the cool-down", style=CALM)
    go_on = Text(f'When you are both ready, say "{screen.continue_word}", or press c.',
                 style="bold")
    fixed = [label, Text(""), Text(""), *clock, clock_note, Text(""), go_on]
    shape_rows = max(3, room - len(fixed))
    shape = [Text(line, style=CALM) for line in breathing_shape(size, shape_rows, width - 2)]
    return [label, Text(""), *shape, Text(""), *clock, clock_note, Text(""), go_on]


def _between(view: FlowView, screen: Screen, width: int, room: int) -> list[Text]:
    """Neither a turn nor a pause: what is going on, and the last thing said, large."""
    lines: list[Text] = []
    activity = view.activity
    state = _state_line(view)
    if state:
        speaker = activity.speaker if isinstance(activity, ItemView) else None
        lines += [Text(visible(state),
                       style=f"bold {partner_colour(screen.partners, speaker)}"), Text("")]
    if isinstance(activity, ItemView) and activity.heard:
        lines += [Text(f'"{visible(activity.heard)}"', style="bold"), Text("")]
    if screen.prompt:
        wrap = max(20, min(width - 4, 70))
        lines += [Text(line, style="italic")
                  for line in textwrap.wrap(visible(screen.prompt), wrap)]
    return lines[:room]


def _bottom(screen: Screen, width: int) -> list[Text]:
    """What stays at the foot of the screen: caption, last prompt, notes, keys."""
    view = screen.view
    rows: list[Text] = []
    speaker = getattr(view.activity, "speaker", None)
    if screen.show_caption and screen.caption:
        label = f"{visible(speaker)}: " if speaker else "hearing: "
        text = Text(label, style=f"bold {partner_colour(screen.partners, speaker)}")
        text.append(_tail(visible(screen.caption), width - len(label)), style="italic")
        rows.append(text)
    if screen.prompt and (view.pause_left is not None or isinstance(view.activity, TurnView)):
        rows.append(Text(f"checkin: {visible(screen.prompt)}", style="italic dim"))
    if view.waiting_for in WAITING_FOR:
        rows.append(Text(WAITING_FOR[view.waiting_for], style=f"bold {SOFT}"))
    rows += [Text(visible(note), style=f"bold {SOFT}") for note in screen.notes]
    rows.append(Text(KEYS_HELP, style="dim"))
    return rows


def _tail(text: str, width: int) -> str:
    """The latest words that fit: a caption grows at its end."""
    return text if len(text) <= width else "…" + text[-(width - 1):]


def _block(drawn: str, style: str) -> list[Text]:
    """Rows of a drawing, padded to one width so centring keeps them aligned."""
    lines = drawn.splitlines()
    wide = max(map(len, lines), default=0)
    return [Text(line.ljust(wide), style=style) for line in lines]


def _centred_block(lines: list[Text], room: int) -> list[Text]:
    """`lines` centred vertically in `room` rows (cut from the end if too many)."""
    lines = lines[:max(0, room)]
    spare = room - len(lines)
    return [Text("")] * (spare // 2) + lines + [Text("")] * (spare - spare // 2)


def _fit(row: Text, width: int) -> Text:
    """One screen row: centred, cut with an ellipsis rather than wrapped."""
    row = row.copy()
    row.no_wrap, row.overflow = True, "ellipsis"
    if row.cell_len < width:
        row.align("center", width)
    else:
        row.truncate(width, overflow="ellipsis")
    return row


WAITING_FOR = {"yes_or_no": "Waiting for your answer: say yes or no, or press y or n"}
STATE_LINES = {  # by state name (FlowView.state is the machine's plain string)
    Hold.PAUSED.value: "Paused: a calm break for both of you",
    Hold.PAUSE_OFFER.value: "A pause was suggested: yes or no?",
    Hold.HEAT_CHECK.value: "Shall we end here? yes or no",
    Hold.MICROPHONE_LOST.value: "Microphone lost: waiting for it to come back",
    Edge.ENDED.value: "The check-in is over",
}


def _state_line(view: FlowView) -> str:
    if view.waiting_for in WAITING_FOR:
        return WAITING_FOR[view.waiting_for]
    if view.state in STATE_LINES:
        return STATE_LINES[view.state]
    if isinstance(view.activity, TurnView):
        return f"{view.activity.speaker}'s turn"
    if isinstance(view.activity, ItemView):
        return f"{view.activity.speaker}, over to you"
    return ""


def screen_text(screen: Screen, width: int, height: int) -> str:
    """The frame as plain text, row by row (tests and text screenshots)."""
    from io import StringIO

    console = Console(width=width, height=height, color_system=None, record=True,
                      file=StringIO(), legacy_windows=False)
    console.print(render(screen, width, height))
    return console.export_text()


# ------------------------------------------------------------------ on a terminal


class _Frame:
    """The latest screen, rendered at whatever size the terminal is when drawn."""

    def __init__(self, screen: Screen | None = None) -> None:
        self.screen = screen

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.screen is None:
            return
        yield render(self.screen, options.max_width, options.height or console.height)


class LiveView:
    """Draws the view on the whole terminal (rich Live on the alternate screen, so
    the terminal is left as it was when the check-in ends)."""

    def __init__(self, console: Console | None = None) -> None:
        from rich.live import Live

        self.console = console or Console()
        self._frame = _Frame()
        self._live = Live(self._frame, console=self.console, auto_refresh=False,
                          screen=True, transient=True, redirect_stdout=False,
                          redirect_stderr=False)

    def __enter__(self) -> LiveView:
        self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.stop()

    def update(self, screen: Screen) -> None:
        self._frame.screen = screen
        self._fit_console()
        self._live.refresh()

    def _fit_console(self) -> None:
        """Follow the terminal's real size: rich would trust LINES and COLUMNS from the
        environment, which a shell exports once and never updates after a resize."""
        try:
            size = os.get_terminal_size(self.console.file.fileno())
        except (AttributeError, ValueError, OSError):
            return  # not a terminal: rich's own idea of the size stands
        if size.columns and size.lines:
            self.console.size = (size.columns, size.lines)

    def said(self, text: str) -> None:
        """Prompts show in the view (the latest one); nothing else to do."""


class PlainView:
    """Prints every prompt, and each change of state, once (no redrawing)."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self._state = ""

    def __enter__(self) -> PlainView:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def said(self, text: str) -> None:
        self.out.write(f"checkin: {visible(text)}\n")
        self.out.flush()

    def update(self, screen: Screen) -> None:
        state = _state_line(screen.view)
        if state != self._state:
            self._state = state
            if state:
                self.out.write(f"  [{visible(state)}]\n")
                self.out.flush()

