"""Absolute second-person blame in English, decided by the whole clause.

"You always make me laugh" and "you always leave the dishes" share their first three
words; only the rest of the clause tells them apart. So a sentence is cut into
clauses, and in each clause where "you" is the one doing something, the absolute
("always", "never", "don't ever", "every time", "everything", "nothing") is read with
its predicate, the words that follow up to the next clause:

- "always" kinds (always, constantly, every time, all the time, everything): blame when
  the predicate says something hurtful (`HARSH`) and nothing warm (`WARM`);
- "never" kinds (never, don't ever, not once): blame when the predicate is something a
  partner may expect (`EXPECTED`: listening, helping, time together), unless it is
  itself hurtful, which makes it praise ("you never judge me");
- and the plain accusations: "it's your fault", "you're to blame", "why can't you ever".

Not blame: "you" as the object ("I love you always"), "you" meaning anyone ("you never
know"), advice ("you should never"), and "not always" (already softened). Only counts
leave this module; the words are read and dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.gentle.english_words import EXPECTED, GENERIC, HARSH, STOPPING, UNDO, WARM

_SPELLED = {
    "can't": "can not", "cant": "can not", "cannot": "can not", "won't": "will not",
    "wont": "will not", "shan't": "shall not", "ain't": "is not", "dont": "do not",
    "doesnt": "does not", "didnt": "did not", "isnt": "is not", "arent": "are not",
    "wasnt": "was not", "werent": "were not", "havent": "have not", "hasnt": "has not",
    "hadnt": "had not", "couldnt": "could not", "wouldnt": "would not",
    "shouldnt": "should not", "youre": "you are", "youve": "you have", "youll": "you will",
    "im": "i am", "ive": "i have", "thats": "that is", "whats": "what is", "u": "you",
    "ya": "you", "ur": "your", "gonna": "going to", "y'all": "you all",
}
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"),
             ("'d", " would"), ("'m", " am"))
_IS_BEFORE = ("it", "that", "what", "there", "he", "she", "who", "this", "here", "where")
# "its your fault" typed without the apostrophe
_ITS_NEXT = {"your", "all", "not", "never", "always", "been", "because", "so", "too",
             "just", "really", "totally", "entirely", "completely", "you", "ok", "okay"}

_SUBJECTS = {"i", "you", "we", "he", "she", "they", "it", "this", "there", "everyone",
             "nobody", "everybody", "my", "your", "our", "people"}
_ALWAYS_CUT = {",", "because", "cause", "when", "whenever", "while", "if", "though",
               "although", "unless", "whereas", "which", "who", "whom", "whose", "why",
               "where"}
_CUT_BEFORE_SUBJECT = {"and", "but", "so", "or", "that", "then", "until", "since", "after",
                       "before", "what", "how", "like", "as", "yet", "cos"}
_JOINS = {"and", "but", "so", "or", "yet", ";"}  # new statements when a subject follows
_PERSONS = {"i", "you", "we", "he", "she", "they"}

_AUX = {"are", "were", "was", "is", "am", "have", "has", "had", "will", "would", "do",
        "does", "did", "can", "could", "be", "been", "being", "shall", "may", "might"}
_SOFT = {"just", "really", "literally", "basically", "honestly", "simply", "still",
         "actually", "seriously", "truly", "even", "almost", "also", "too", "so", "ever",
         "once", "been", "being", "going", "to", "seem", "seems", "seem to", "all", "pretty",
         "very", "kind", "of", "sort", "like"}
_LEAD = {"just", "really", "literally", "basically", "honestly", "simply", "still",
         "actually", "seriously", "truly", "even", "also", "too", "all"}
_ALWAYS = {"always", "constantly", "continually", "continuously", "forever", "repeatedly"}
_NEVER = {"never"}
# "you" as what is loved or thanked, not who does something
_OBJECT_BEFORE = {"thank", "thanks", "love", "adore", "cherish", "miss", "need", "lose",
                  "hug", "kiss", "hold", "with", "for", "to", "at", "about", "of", "without",
                  "from", "than", "behind", "around", "beside", "near", "by", "into",
                  "onto", "upon", "against", "see", "tell", "told", "bless"}
_OFTEN = re.compile(r"\b(?:all the time|every (?:single )?time|each time|every day|"
                    r"every (?:single )?day|every night|every morning|everything|every little "
                    r"thing|nonstop|24 7|again and again|over and over|all day)\b")
_SENTENCE_OFTEN = re.compile(r"\b(?:every (?:single )?time|each time|whenever)\b")
_NOTHING = re.compile(r"\b(?:nothing|not a (?:thing|single thing)|not anything)\b")
_BUT = re.compile(r"\b(?:nothing|anything) but\b")
_FEEL = re.compile(r"\b(?:make|makes|made|making|let|lets) (?:me|us) feel\b")
_FAULT = re.compile(r"\byour (?:own )?fault\b")
_DENIED = {"not", "never", "no", "nobody's", "none"}
_TO_BLAME = re.compile(r"\byou (?:are|were) (?:always |the one )?(?:to blame|the problem)\b")
_HOW_MANY = re.compile(r"\bhow many times (?:do |have |did )?i (?:have to |had to )?"
                       r"(?:tell|told|ask|asked|remind|reminded) you\b")


def _words(pattern: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(pattern) + r")\b")


_HARSH = _words(HARSH)
_WARM = _words(WARM)
_EXPECTED = _words(EXPECTED)
_STOPPING = _words(STOPPING)
_GENERIC = re.compile("|".join(GENERIC))
_UNDO = _words(UNDO)


@dataclass(frozen=True)
class Reading:
    """What one piece of speech holds: statements, those in "I", and blame phrases."""

    statements: int = 0
    i_statements: int = 0
    blame: int = 0


def tokens(sentence: str) -> list[str]:
    """Lower-case words with contractions spelled out ("you're" -> "you are"); commas
    are kept as tokens, since they end a clause."""
    text = sentence.lower().replace("’", "'").replace("‘", "'")
    raw = re.findall(r"[a-z0-9]+(?:'[a-z]+)?|,", text)
    out: list[str] = []
    for i, word in enumerate(raw):
        if word in _SPELLED:
            out += _SPELLED[word].split()
            continue
        if word == "its" and i + 1 < len(raw) and raw[i + 1] in _ITS_NEXT:
            out += ["it", "is"]
            continue
        for suffix, spelled in _SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix):
                stem = word[: -len(suffix)]
                if suffix == "n't":
                    stem = {"ca": "can", "wo": "will", "sha": "shall"}.get(stem, stem)
                out += [stem, *spelled.split()]
                break
        else:
            if word.endswith("'s") and word[:-2] in _IS_BEFORE:
                out += [word[:-2], "is"]
            else:
                out.append(word.replace("'", ""))
    return out


def sentences(text: str) -> list[list[str]]:
    """The text's sentences as token lists (a line, a full stop, ?, ! or ; ends one)."""
    parts = re.split(r"[.!?;…\n]+|\s[-–—]+\s", text)
    return [t for t in (tokens(p) for p in parts) if t]


def _clause_ends(words: list[str]) -> list[int]:
    """For each token, the index where its clause ends (exclusive)."""
    cuts = [i for i, w in enumerate(words)
            if w in _ALWAYS_CUT or (w in _CUT_BEFORE_SUBJECT and i + 1 < len(words)
                                    and words[i + 1] in _SUBJECTS)]
    ends: list[int] = []
    for i in range(len(words)):
        ends.append(next((c for c in cuts if c > i), len(words)))
    return ends


def _clause_start(words: list[str], k: int) -> int:
    """Where the clause holding token k begins."""
    for i in range(k - 1, -1, -1):
        w = words[i]
        if w in _ALWAYS_CUT or (w in _CUT_BEFORE_SUBJECT and i + 1 < len(words)
                                and words[i + 1] in _SUBJECTS):
            return i + 1
    return 0


@dataclass(frozen=True)
class _Predicate:
    """What is said of "you": `own`, the partner's own act, up to another subject ("you
    always criticise the way" | "I cook"); `said`, all of it to the end of the clause."""

    own: list[str]
    said: list[str]

    @property
    def embedded(self) -> list[str]:
        return self.said[len(self.own):]


def _undone(text: str) -> tuple[str, bool]:
    """`text` without the warm phrases made of harsh words ("put your phone down")."""
    return _UNDO.sub(" ", text), bool(_UNDO.search(text))


def _warmth(words: list[str]) -> bool:
    text, undone = _undone(" ".join(words))
    return undone or bool(_WARM.search(_HARSH.sub(" ", text)))


def _harshness(words: list[str]) -> bool:
    return bool(_HARSH.search(_undone(" ".join(words))[0]))


def _always_blames(pred: _Predicate) -> bool:
    """Always: blame when the predicate is led by something hurtful ("you always make fun
    of my cooking"), not by something warm ("you always make the bad days better"). A
    hurtful word in a clause of someone else's counts unless it is denied ("you always
    tell me I'm not alone")."""
    said, undone = _undone(" ".join(pred.said))
    own_length = len(" ".join(pred.own))
    if undone:
        return False
    harsh = _HARSH.search(said)
    if harsh is None:
        return False
    warm = _WARM.search(said[:own_length])
    if warm and (warm.start() < harsh.start()
                 or warm.start() == harsh.start() and warm.end() > harsh.end()):
        return False
    return harsh.start() < own_length or not _DENIED & set(pred.embedded)


def _never_blames(pred: _Predicate) -> bool:
    """Never: blame when it is something a partner may expect; praise when the act itself
    is hurtful ("you never judge me"); "never stop X": X decides."""
    own = pred.own
    if not own:
        return False
    if _STOPPING.fullmatch(own[0]):
        rest = _Predicate(own[1:], pred.said[1:])
        return _always_blames(rest) or (_harshness(own[1:]) and not _warmth(own[1:]))
    text = " ".join(own)
    feeling = _FEEL.search(text)
    if feeling and not _harshness(text[: feeling.start()].split()):
        # "you never make me feel special" blames; "... feel silly" is praise
        return bool(_WARM.search("feel" + text[feeling.end():]))
    if _BUT.search(text) or _harshness(own):  # "never anything but kind", "never judge"
        return False
    return bool(_EXPECTED.search(text))


def _nothing_blames(pred: _Predicate) -> bool:
    """"you do nothing (but complain)"; "you have nothing to worry about" is kind."""
    text = " ".join(pred.own)
    after = _BUT.split(text, maxsplit=1)
    if len(after) == 2:
        words = after[1].split()
        return _always_blames(_Predicate(words, words))
    tail = _NOTHING.split(text, maxsplit=1)[-1]
    if _harshness(tail.split()) or _warmth(tail.split()):
        return False
    return bool(_EXPECTED.search(text))


def _hard_end(words: list[str], j: int) -> int:
    """Where the clause from j ends for good: a comma, "when", "because", or "and" with a
    new subject (not "that I", which begins a clause inside this one)."""
    for i in range(j, len(words)):
        w = words[i]
        if w in _ALWAYS_CUT or (w in _JOINS and i + 1 < len(words) and words[i + 1] in _SUBJECTS):
            return i
    return len(words)


def _own_end(words: list[str], j: int, end: int) -> int:
    """Where the partner's own act ends: before another subject or what introduces it."""
    for i in range(j, end):
        w = words[i]
        if w in _PERSONS or (w in _CUT_BEFORE_SUBJECT and i + 1 < end
                             and words[i + 1] in _SUBJECTS):
            return i
    return end


def _frame(words: list[str], k: int) -> bool:
    """Whether the "you" at index k starts a blaming clause."""
    start, end = _clause_start(words, k), _hard_end(words, k + 1)
    before = words[start:k]
    if before and before[-1] in _OBJECT_BEFORE:
        return False
    if before and before[-1] in _AUX and not {"why", "not", "come"} & set(
            words[max(0, start - 1):k]):
        return False  # "are you always this tired?": a question, not blame
    if _GENERIC.search(" ".join(words[max(start, k - 1):end])):
        return False
    j = k + 1
    negated = "not" in before[-2:]  # "why can't you ever", "why don't you ever"
    while j < end and words[j] in _AUX | {"not"} | _LEAD:
        negated = negated or words[j] == "not"
        j += 1
    kind = None
    if j < end and words[j] in _ALWAYS:
        kind = "never" if negated else "always"
        if negated and words[j] == "always":
            return False  # "you don't always": already softened
        j += 1
    elif j < end and (words[j] in _NEVER or words[j] == "ever" and negated):
        kind = "never"
        j += 1
    elif {"never", "once"} & set(before[-3:]) and ("not" in before or "never" in before):
        kind = "never"  # "never have you", "not once did you"
    if kind is not None:
        while j < end and words[j] in _SOFT:
            j += 1
        if kind == "always" and words[j:j + 1] == ["not"]:  # "you always don't listen"
            kind, j = "never", j + 1
        elif kind == "always" and words[j + 1:j + 2] == ["not"] and words[j] in _AUX:
            kind, j = "never", j + 2
    pred = _Predicate(words[j:_own_end(words, j, end)], words[j:end])
    if kind == "always":
        return _always_blames(pred)
    if kind == "never":
        return _never_blames(pred)
    if not pred.own:
        return False
    text = " ".join(pred.said)
    if _NOTHING.search(text) and not negated:
        return _nothing_blames(pred)
    if _OFTEN.search(text) or _SENTENCE_OFTEN.search(" ".join(words)):
        return _always_blames(pred)
    return False


def _accusations(words: list[str]) -> int:
    """"It's your fault" (not "it's not your fault"), "you're to blame", "how many times
    do I have to tell you": blame said outright, with or without "always"."""
    text = " ".join(words)
    found = 0
    for match in _FAULT.finditer(text):
        k = len(text[: match.start()].split())
        if not _DENIED & set(words[_clause_start(words, k):k]):
            found += 1
    return found + len(_TO_BLAME.findall(text)) + len(_HOW_MANY.findall(text))


_SUBORDINATE = {"when", "whenever", "because", "cause", "if", "though", "although", "unless",
                "while", "since", "until", "after", "before", "that", "how", "what", "why",
                "where", "which", "who", "like", "as", "whereas", "cos"}


def _speaks_from_i(words: list[str]) -> bool:
    """Whether "I" is the subject of a main clause: "I feel lonely when we don't talk",
    "When you're late, I worry"; not "you always notice when I'm sad"."""
    start = 0
    ends = _clause_ends(words)
    while start < len(words):
        end = max(ends[start], start + 1)
        clause = [w for w in words[start:end] if w != ","]
        if clause and clause[0] not in _SUBORDINATE and "i" in clause:
            return True
        start = end
    return False


def _statements(words: list[str]) -> list[list[str]]:
    """A sentence's statements: it splits where "and", "but" or "so" begin a new subject."""
    parts: list[list[str]] = [[]]
    for i, w in enumerate(words):
        if w in _JOINS and i + 1 < len(words) and words[i + 1] in _SUBJECTS and parts[-1]:
            parts.append([])
            continue
        parts[-1].append(w)
    return [p for p in parts if len([w for w in p if w != ","]) >= 2]


def read(text: str) -> Reading:
    """Count the statements, the "I" statements and the blame phrases in `text`."""
    statements = i_statements = blame = 0
    for words in sentences(text):
        for part in _statements(words):
            found = sum(1 for k, w in enumerate(part) if w == "you" and _frame(part, k))
            found += _accusations(part)
            statements += 1
            blame += found
            if not found and _speaks_from_i(part):
                i_statements += 1
    return Reading(statements, i_statements, blame)
