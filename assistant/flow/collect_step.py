"""The collect step: partners take turns naming items, each read back and kept only
when confirmed. Where an item is (`Phase`) is the step's own small state machine,
drawn in docs/guides.md."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.flow.events import Activity, CommandName, Listen, Utterance
from assistant.flow.items import item_record
from assistant.flow.steps import ItemView, Phase, StepHost, StepRunner
from assistant.guides import Step


@dataclass
class _Pending:
    """An item being said, then confirmed."""

    speaker: str
    words: list[str]
    confidence: list[float]
    last_said: float

    @property
    def text(self) -> str:
        return " ".join(w.strip() for w in self.words if w.strip())


class CollectRunner(StepRunner):
    """Partners take turns naming items (causes, rituals, plans, appreciations); each is
    read back and kept only when confirmed: by the speaker ("save it"), or for rituals
    and plans by both partners saying yes."""

    def __init__(self, host: StepHost, step: Step) -> None:
        super().__init__(host, step)
        self.asked = 0  # how many items have been asked for
        self.kept = 0
        self.pending: _Pending | None = None
        self.phase = Phase.LISTENING
        self.speaking = False

    def enter(self) -> None:
        done = self.host.take_resume_progress()
        self.asked = self.kept = done
        self.pending, self.phase, self.speaking = None, Phase.LISTENING, False
        if self.asked >= self.step.max:
            self.host.step_done()
            return
        if self.step.has("intro") and not done:
            self.host.say(self.fmt("intro"), opening=True)
        if self.step.has("loved") and not done:  # how each feels loved, kept earlier
            for name, text in self.host.loved():
                self.host.say(self.fmt("loved", name=name, text=text), opening=True)
        self.ask()

    @property
    def speaker(self) -> str:
        return self.host.partners[self.asked % 2]

    def ask(self) -> None:
        name = self.speaker
        key = "more" if self.kept >= max(self.step.min, 1) and self.step.has("more") \
            else "prompt"
        self.host.say(self.fmt(key, name=name, other=self.other(name)), opening=True)
        self.host.emit(Listen(name, "item"))
        self.phase = Phase.LISTENING
        self.pending = None

    def next_item(self) -> None:
        self.asked += 1
        if self.asked >= self.step.max or (self.step.enough and self.kept >= self.step.enough):
            self.host.step_done()
        else:
            self.ask()

    def on_utterance(self, event: Utterance) -> None:
        if self.phase in (Phase.AGREE_FIRST, Phase.AGREE_SECOND):
            self.host.unclear()
            return
        if self.phase == Phase.CONFIRM or self.pending is None:  # a new try replaces the last
            self.pending = _Pending(self.speaker, [], [], self.host.active())
            self.phase = Phase.LISTENING
        self.pending.words.append(event.text)
        self.pending.confidence.append(event.confidence)
        self.pending.last_said = self.host.active()

    def on_speech(self, started: bool, seconds: float, audio_time: float = 0.0) -> None:
        if self.pending is not None and self.phase == Phase.LISTENING:
            self.pending.last_said = self.host.active()
        self.speaking = started

    def tick(self) -> None:
        if self.phase != Phase.LISTENING or self.pending is None or not self.pending.text:
            return
        if self.speaking:
            return
        if self.host.active() - self.pending.last_said >= self.settings.item_end_silence_seconds:
            self.read_back()

    def read_back(self) -> None:
        assert self.pending is not None
        text = self.pending.text
        name = self.pending.speaker
        if self.step.agree == "both":
            self.phase = Phase.AGREE_FIRST
            first = self.host.partners[0]
            self.host.phrase("readback_agree", text=text, name=first, other=self.other(first))
            self.host.emit(Listen(first, "answer"))
        else:
            self.phase = Phase.CONFIRM
            self.host.phrase("readback_save", text=text, name=name, other=self.other(name))
            self.host.emit(Listen(name, "answer"))

    def on_command(self, name: CommandName) -> None:
        match self.phase:
            case Phase.LISTENING:
                self.on_listening_command(name)
            case Phase.CONFIRM:
                self.on_confirm_command(name)
            case Phase.AGREE_FIRST | Phase.AGREE_SECOND:
                self.on_agree_command(name)

    def on_listening_command(self, name: CommandName) -> None:
        """While an item is being said: read it back, skip it, or say nothing was heard."""
        if name in (CommandName.DONE, CommandName.SAVE) and self.pending and self.pending.text:
            self.read_back()
        elif name == CommandName.NEXT or (name == CommandName.DONE and not self.pending):
            self.host.phrase("skipped")
            if self.kept >= max(self.step.min, 1) and name == CommandName.NEXT:
                self.host.step_done()  # enough was named: "next" moves on
            else:
                self.next_item()
        elif name == CommandName.SAVE:  # nothing heard yet: say so, keep listening
            self.host.phrase("nothing_to_save", name=self.speaker,
                             other=self.other(self.speaker))

    def on_confirm_command(self, name: CommandName) -> None:
        """Read back to the speaker: keep it, say it again, or skip it."""
        if name in (CommandName.SAVE, CommandName.YES):
            self.keep()
        elif name in (CommandName.AGAIN, CommandName.NO):
            self.retry()
        elif name == CommandName.NEXT:
            self.host.phrase("skipped")
            self.next_item()

    def on_agree_command(self, name: CommandName) -> None:
        """Read back to both (rituals, plans): each partner's yes, one after the other."""
        if name == CommandName.YES:
            if self.phase == Phase.AGREE_FIRST:
                self.phase = Phase.AGREE_SECOND
                second = self.host.partners[1]
                self.host.phrase("agree_other", name=second, other=self.other(second))
                self.host.emit(Listen(second, "answer"))
            else:
                self.keep()
        elif name == CommandName.NO:
            self.host.phrase("not_agreed")
            self.retry()
        elif name == CommandName.NEXT:
            self.host.phrase("skipped")
            self.next_item()
        else:
            self.host.unclear()

    def retry(self) -> None:
        name = self.speaker
        self.pending = None
        self.phase = Phase.LISTENING
        self.host.phrase("retry", name=name, other=self.other(name))
        self.host.emit(Listen(name, "item"))

    def keep(self) -> None:
        assert self.pending is not None
        pending, at = self.pending, self.host.active()
        confidence = min(pending.confidence) if pending.confidence else 1.0
        assert self.step.item is not None, "a collect step gathers a kind of item"
        record = item_record(self.step.item, pending.speaker, self.other(pending.speaker),
                             pending.text, confidence, at, self.host.activity_by())
        self.host.save(record)
        self.host.phrase("agreed" if self.step.agree == "both" else "saved")
        if isinstance(record, Activity) and record.by is not None and self.step.has("planned"):
            self.host.say(self.fmt("planned", date=self.host.spoken_date(record.by)))
        self.kept += 1
        self.next_item()

    def resume(self) -> None:
        if self.phase == Phase.LISTENING:
            self.ask()
        else:
            self.read_back()

    def waits_on_time(self) -> bool:
        return self.phase == Phase.LISTENING and self.pending is not None

    def view(self) -> ItemView:
        return ItemView(self.speaker, self.phase, self.kept,
                        self.pending.text if self.pending else "")
