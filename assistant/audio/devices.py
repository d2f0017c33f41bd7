"""Which sound device to use, chosen the same way by `checkin devices` and capture.

Choosing is pure (a list of `Device` in, one `Device` or a one-line DeviceError out)
so the rules are tested without hardware; only `query_devices()` touches PortAudio.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from assistant.errors import DeviceError
from assistant.invocation import checkin_command

Direction = Literal["input", "output"]


@dataclass(frozen=True)
class Device:
    """One PortAudio device, as much as checkin needs to know about it."""

    index: int
    name: str
    inputs: int  # max input channels (0: not an input)
    outputs: int  # max output channels (0: not an output)
    default_rate: float
    hostapi: str = ""
    is_default_input: bool = False
    is_default_output: bool = False

    def channels(self, direction: Direction) -> int:
        return self.inputs if direction == "input" else self.outputs

    def is_default(self, direction: Direction) -> bool:
        return self.is_default_input if direction == "input" else self.is_default_output

    def label(self) -> str:
        return f"[{self.index}] {self.name}"


def query_devices(rescan: bool = False) -> list[Device]:
    """The devices PortAudio knows.

    PortAudio lists devices once, at initialisation; `rescan` re-initialises it so
    newly plugged devices appear, which also closes every open stream, so only a
    command that owns no stream (like `checkin devices`) may ask for it.
    """
    try:
        import sounddevice as sd
    except OSError as err:  # the PortAudio library itself is missing
        raise DeviceError(
            f"PortAudio is not available ({err}); install libportaudio2, then run: "
            f"{checkin_command('devices')}"
        ) from None
    if rescan:
        sd._terminate()
        sd._initialize()
    default_in, default_out = _default_indices(sd)
    apis = [api["name"] for api in sd.query_hostapis()]
    devices = []
    for raw in sd.query_devices():
        info: dict[str, Any] = dict(raw)
        index = int(info["index"])
        devices.append(
            Device(
                index=index,
                name=str(info["name"]),
                inputs=int(info["max_input_channels"]),
                outputs=int(info["max_output_channels"]),
                default_rate=float(info["default_samplerate"]),
                hostapi=apis[int(info["hostapi"])] if int(info["hostapi"]) < len(apis) else "",
                is_default_input=index == default_in,
                is_default_output=index == default_out,
            )
        )
    return devices


def _default_indices(sd: Any) -> tuple[int, int]:
    try:
        pair = sd.default.device
        return int(pair[0]), int(pair[1])
    except (TypeError, ValueError, IndexError):
        return -1, -1


def choose(devices: list[Device], spec: str | int | None, direction: Direction) -> Device:
    """The device `spec` names (an index or a name fragment), or the default one.

    A fragment must match exactly one device (case-insensitive); an exact name wins
    over fragments, so "pulse" picks "pulse" even when "pulse-monitor" exists too.
    """
    usable = [d for d in devices if d.channels(direction) > 0]
    if not usable:
        raise DeviceError(
            f"no {direction} device found; connect one and run: {checkin_command('devices')}"
        )
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        for device in usable:
            if device.is_default(direction):
                return device
        return usable[0]
    text = str(spec).strip()
    if text.isdigit():
        wanted = int(text)
        for device in usable:
            if device.index == wanted:
                return device
        raise DeviceError(
            f"no {direction} device with index {wanted}; choose one of {_names(usable)}"
            f" (see: {checkin_command('devices')})"
        )
    exact = [d for d in usable if d.name.lower() == text.lower()]
    if len(exact) == 1:
        return exact[0]
    matches = [d for d in usable if text.lower() in d.name.lower()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise DeviceError(
            f"no {direction} device matches {text!r}; choose one of {_names(usable)}"
            f" (see: {checkin_command('devices')})"
        )
    raise DeviceError(
        f"{text!r} matches several {direction} devices: {_names(matches)};"
        " give the index or a longer part of the name"
    )


def _names(devices: list[Device]) -> str:
    return ", ".join(d.label() for d in devices)
