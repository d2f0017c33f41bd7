"""Telling the two partners' voices apart, from the hearing's own speech decisions.

features (MFCC) → gmm (a voice model) → methods (the protocol, `Cepstral`) →
profile (numbers only, to and from bytes) → windows (speech cut from the hearing's
voiced chunks) → attribution (A, B or unsure, as speech arrives) and clustering (two
voices nobody enrolled, for `checkin analyze --speakers`). Pure numerics: no clock,
no I/O. See docs/speakers.md for the measurements behind the choices.
"""
