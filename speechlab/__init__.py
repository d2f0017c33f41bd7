"""What the tests and the scripts measure checkin with: synthetic and recorded voices,
the PulseAudio room they are played in, `checkin run` driven from outside, and the
scores (word errors, labelled sentences). Not part of the product (never installed)."""
