"""A check-in put together: the wiring (setup.py) and the parts it wires.

- setup.py: builds everything from the `Settings`, for a check-in and for every other
  use of the listening path (analyze, mic-check, transcribe, tests, benchmarks);
- plan.py: which guide, which partners, where to start (and resume);
- pipeline.py: chunk → gate → hearing → listener → flow events;
- voice.py: the hands-free `Session` (threads, clock, actions out; replay for tests);
- keys.py: the keyboard beside the voice;
- typed.py: the typed check-in.
"""
