"""The live terminal view: what a couple glances at from a metre away.

`render(screen)` is a pure function from a `Screen` (a snapshot the session fills in)
to a rich renderable, so the view is tested by rendering to text. `LiveView` puts it
on the terminal with rich's Live; `PlainView` prints only what changes, for
`--no-display` and for terminals that are not terminals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from assistant.flow.machine import FlowView
from assistant.flow.states import Edge, Hold
from assistant.flow.steps import ItemView, TurnView

KEYS_HELP = "space next · p pause · r repeat · q stop"

# A 5-row block font for the countdown: readable across a room.
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
    ":": ["   ", " █ ", "   ", " █ ", "   "],
}


@dataclass
class Screen:
    """Everything the view shows, filled in by the session between frames."""

    view: FlowView
    partners: tuple[str, str]
    level_db: float | None = None  # the room's current level (dBFS)
    baseline_db: float | None = None  # the current speaker's calm baseline
    caption: str = ""  # what is being heard right now
    prompt: str = ""  # the last thing the assistant said
    show_caption: bool = True
    notes: list[str] = field(default_factory=list)  # e.g. "microphone lost"


def clock_text(seconds: float) -> str:
    """m:ss, rounded up so a turn shows 0:00 only when it is really over."""
    whole = max(0, int(-(-seconds // 1)))
    return f"{whole // 60}:{whole % 60:02d}"


def big(text: str) -> str:
    """Text in the block font (digits and colons only)."""
    rows = ["", "", "", "", ""]
    for char in text:
        glyph = _DIGITS.get(char, ["   "] * 5)
        rows = [row + g + " " for row, g in zip(rows, glyph, strict=True)]
    return "\n".join(row.rstrip() for row in rows)


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
            text.append("|", style="bold yellow")
        elif i < filled:
            text.append("█", style="red" if loud else "green")
        else:
            text.append("·", style="dim")
    text.append(f"  {level:5.1f} dB")
    if baseline is not None:
        text.append(f"  (calm {baseline:.0f})", style="yellow")
    return text


def balance(partners: tuple[str, str], talk: dict[str, float], width: int = 40) -> Text:
    """A bar split by each partner's share of the talking so far."""
    a, b = partners
    ta, tb = talk.get(a, 0.0), talk.get(b, 0.0)
    total = ta + tb
    share = 0.5 if total <= 0 else ta / total
    left = int(round(share * width))
    text = Text(f"{a} {clock_text(ta)} ")
    text.append("█" * left, style="cyan")
    text.append("█" * (width - left), style="magenta")
    text.append(f" {clock_text(tb)} {b}")
    return text


def render(screen: Screen) -> RenderableType:
    """The whole view for one frame."""
    view = screen.view
    activity = view.activity
    header = Text()
    if view.step_index >= 0:
        header.append(f"Step {view.step_index + 1} of {view.step_count}: ", style="bold")
    header.append(view.step_title, style="bold")
    state_line = _state_line(view)

    body: list[RenderableType] = [header]
    if state_line:
        body.append(Text(state_line, style="bold cyan"))
    if view.pause_left is not None:
        body.append(Text(big(clock_text(view.pause_left)), style="bold blue"))
        body.append(Text("Breathe in for four, out for six.", style="blue"))
    elif isinstance(activity, TurnView):
        remaining = activity.remaining
        style = "bold red" if remaining <= 60 else "bold green"
        body.append(Text(big(clock_text(remaining)), style=style))
    body.append(meter(screen.level_db, screen.baseline_db))
    body.append(balance(screen.partners, view.talk))
    if screen.prompt:
        body.append(Text(f"checkin: {screen.prompt}", style="italic"))
    if screen.show_caption and screen.caption:
        body.append(Text(f"hearing: {screen.caption}", style="dim"))
    for note in screen.notes:
        body.append(Text(note, style="bold red"))
    keys = Table.grid()
    keys.add_row(Text(KEYS_HELP, style="dim"))
    body.append(keys)
    return Panel(Group(*body), title="checkin", subtitle=f"heat {view.heat_count}")


WAITING_FOR = {"yes_or_no": "Waiting for your answer: say yes or no, or press y or n"}
STATE_LINES = {  # by state name (FlowView.state is the machine's plain string)
    Hold.PAUSED.value: "Paused: a calm break for both of you",
    Hold.PAUSE_OFFER.value: "A pause was suggested: yes or no?",
    Hold.HEAT_CHECK.value: "Shall we end here? yes or no",
    Hold.DEVICE_LOST.value: "Microphone lost: waiting for it to come back",
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


class LiveView:
    """Draws the view in place on a terminal (rich Live)."""

    def __init__(self, console: Console | None = None) -> None:
        from rich.live import Live

        self.console = console or Console()
        self._live = Live(console=self.console, auto_refresh=False, transient=False)

    def __enter__(self) -> LiveView:
        self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.stop()

    def update(self, screen: Screen) -> None:
        self._live.update(render(screen), refresh=True)

    def said(self, text: str) -> None:
        """Prompts show in the panel (the latest one); nothing else to do."""


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
        self.out.write(f"checkin: {text}\n")
        self.out.flush()

    def update(self, screen: Screen) -> None:
        state = _state_line(screen.view)
        if state != self._state:
            self._state = state
            if state:
                self.out.write(f"  [{state}]\n")
                self.out.flush()
