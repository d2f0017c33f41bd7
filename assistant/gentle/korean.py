"""Absolute second-person blame in Korean, as far as a phrase set can tell it.

Korean says "never" with a negated verb ("넌 한 번도 안 들어"), so the same rule as in
English holds with Korean words: a sentence addressed to "you" (너, 넌, 당신, 자기...) with
an absolute (항상, 맨날, 늘, 매번, 절대, 한 번도...) blames when what follows is hurtful or
a refusal ("안 해", "무시해"), unless the refused act is itself hurtful (then it is
praise: "넌 한 번도 나를 실망시킨 적이 없어") or the sentence is warm ("너는 항상 나를 웃게
해"). "네 잘못이야" and "다 너 때문이야" blame outright; "네 잘못이 아니야" and "너 때문에
행복해" do not.

Limits: Korean drops the subject, so "맨날 늦어" (said to you, or about the bus?) is
left alone; spacing varies, so the patterns allow it; there is no clause parser, so
one sentence counts at most one blame phrase. The labelled Korean sentences of
tests/gentle/labelled.tsv measure it (scripts/eval_gentle_words.py).
"""

from __future__ import annotations

import re

from assistant.gentle.english import Reading

_YOU = r"(?:너는|넌|너도|네가|니가|너|당신은|당신이|당신도|당신|자기는|자기가|자기|니는)"
_SECOND = re.compile(r"(?:^|\s)" + _YOU + r"(?=\s|$|[은는이가도를])")
_ABSOLUTE = re.compile(r"항상|맨날|늘|언제나|매번|매일|절대|한\s?번도|하나도|전혀|평생|또\s")
_NEVER = re.compile(r"절대|한\s?번도|하나도|전혀")
_REFUSED = re.compile(r"(?:^|\s)(?:안|못)\s|않|없어|없었|없지|없잖|모르")
_HARSH = re.compile(
    r"무시|잔소리|늦|짜증|화를?\s?(?:내|낸|냈|나|났)|소리\s?(?:지르|질러)|잊어|잊었|잊고|까먹|어기|어겨|"
    r"미뤄|미루|핸드폰만|휴대폰만|폰만|게임만|일만|생각만|마음대로|비난|트집|불평|투덜|한숨|"
    r"외면|귀찮|거짓말|상처|실망|의심|포기|혼자\s?(?:두|둬|놔)|탓|싸우|싸움|무례|이기적|게을|"
    r"고집|비꼬|놀려|그래\?|그러냐|왜\s?그래|이래\?")
_WARM = re.compile(
    r"웃게|웃겨|고마|챙겨|챙기|도와|사랑|다정|든든|편이|믿어|잘\s?들어|들어\s?줘|최선|행복|좋아|"
    r"따뜻|친절|배려|응원|안아|멋|예뻐|착해|힘이\s?돼|위로")
_FAULT = re.compile(r"(?:네|니|너|당신|자기)\s?(?:잘못|탓)(?!\s?(?:이|은|는)?\s?아니)")
_BECAUSE = re.compile(_YOU + r"\s?때문(?:이야|이잖아|이지|이다|이에요|이잖아요)")
_I = re.compile(r"(?:^|\s)(?:나는|난|내가|나도|저는|제가|저도)(?=\s|$)")


def _blames(sentence: str) -> bool:
    if _FAULT.search(sentence) or _BECAUSE.search(sentence):
        return True
    if not _SECOND.search(sentence):
        return False
    absolute = _ABSOLUTE.search(sentence)
    if absolute is None:
        return False
    rest = sentence[absolute.end():]
    harsh = bool(_HARSH.search(rest))
    if sentence.startswith("왜") and not _WARM.search(rest):
        return True  # "왜 넌 맨날 그래": why do you always
    if _REFUSED.search(rest):  # "never X", "always not X": X decides; a hurtful X is praise
        return not harsh
    if _NEVER.search(absolute.group()):
        return False
    return harsh and not _WARM.search(rest)


def read(text: str) -> Reading:
    """Count the statements, the "I" statements and the blame phrases in Korean `text`."""
    statements = i_statements = blame = 0
    for raw in re.split(r"[.!?。\n]+", text):
        sentence = " ".join(raw.split())
        if not sentence:
            continue
        statements += 1
        if _blames(sentence):
            blame += 1
        elif _I.search(sentence):
            i_statements += 1
    return Reading(statements, i_statements, blame)
