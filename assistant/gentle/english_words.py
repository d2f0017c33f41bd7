"""The English word lists the gentle-words check reads a clause with.

Each list is regular-expression fragments matched as whole words against a clause's
predicate (what follows "you always" or "you never"), lower case, contractions
spelled out ("do not", "you are"). They are what the whole-clause rule needs to tell
"you always leave the dishes" from "you always make me laugh":

- `HARSH`: what hurts to hear said of you: an act or a state a partner would feel
  criticised for. After "always" it makes the clause blame; after "never" it turns the
  clause into praise ("you never judge me", "you never let me down").
- `WARM`: kind acts and qualities. After "always" they keep a clause kind even when a
  harsh word is near ("you always notice when I'm sad" is cut at "when" anyway).
- `EXPECTED`: what a partner may fairly expect of the other (listening, helping,
  calling, time together). "You never" blames only with one of them, so "you never
  eat breakfast" stays an observation.
- `GENERIC`: "you" meaning anyone ("you never know"), and advice ("you should never"):
  never blame.

Measured on the labelled sentences of tests/gentle/labelled.tsv
(scripts/eval_gentle_words.py); grow a list with a sentence that needs it, and run
the evaluation again.
"""

from __future__ import annotations

# hurtful to hear said of you: acts, then states
HARSH = (
    r"interrupt\w*", r"ignor\w*", r"critici[sz]\w*", r"criticism", r"blam\w*", r"nag\w*",
    r"yell\w*", r"shout\w*", r"scream\w*", r"complain\w*", r"whin\w*", r"judg\w*", r"accus\w*",
    r"lie", r"lies", r"lied", r"lying", r"cheat\w*", r"cancel\w*", r"forget\w*", r"forgot\w*",
    r"sigh\w*", r"sulk\w*", r"pout\w*", r"snap\w*", r"mock\w*", r"belittl\w*", r"dismiss\w*",
    r"lectur\w*", r"nitpick\w*", r"grumbl\w*", r"argu\w*", r"fight\w*", r"exaggerat\w*",
    r"overreact\w*", r"twist\w*", r"avoid\w*", r"hid\w*", r"ruin\w*",
    r"break\w* (?:my|your|our|the|a promise|promises|things|everything|stuff|it)",
    r"broke (?:my|your|our|the|a|it)", r"refus\w*", r"hog\w*", r"pretend\w*", r"shrug\w*",
    r"waiting", r"ahead of (?:me|us)", r"during (?:our|dinner|the film|the movie|dates?)",
    r"whatever (?:they|you|he|she) wants?", r"the last of", r"shame\w*",
    r"treat\w* (?:me|us) like", r"miss\w* (?:my|our|a|an|the)", r"go\w* quiet", r"went quiet",
    r"into a joke", r"buy\w* things", r"say\w* you will", r"said you would",
    r"and then you (?:do not|did not|never)", r"hurt\w*", r"hate\w*", r"disappoint\w*",
    r"doubt\w*", r"hesitat\w*", r"betray\w*", r"abandon\w*", r"neglect\w*", r"waste\w*",
    r"fail\w*", r"give up", r"gives up", r"gave up", r"giving up", r"quit\w*",
    r"procrastinat\w*", r"put off", r"putting off", r"humiliat\w*", r"embarrass\w*",
    r"insult\w*", r"swear\w*", r"curs\w*", r"slam\w*", r"storm\w* off", r"storm\w* out",
    r"walk\w* away", r"laugh\w* at (?:me|us)", r"walk\w* out", r"walk\w* off", r"turn\w* away",
    r"push\w* (?:me )?away", r"shut\w* (?:me )?(?:out|down|off)", r"roll\w* your eyes",
    r"make fun", r"making fun", r"pick\w* (?:on|fights?|a fight)", r"talk\w* over", r"over me",
    r"behind my back", r"bring\w* (?:up|that up|it up)", r"brought up", r"the past",
    r"change\w* the subject", r"make\w* excuses", r"excuses?", r"without (?:asking|me|telling)",
    r"leave\w* (?:the|your|a|all|it|everything|things|stuff|dirty|wet|me (?:alone|out|"
    r"waiting|hanging|to))",
    r"left (?:the|your|a|me)",
    r"(?:make|makes|made|making) me (?:feel )?(?:like (?:i am|i'm) not|bad|small|stupid|"
    r"guilty|worse|crazy|useless|unwanted|invisible|ignored|alone|sad|cry|wait|angry|upset|"
    r"nervous|scared|like an idiot|do|clean|cook|ask|beg)",
    r"take\w* (?:me|us|it|this|that|everything) for granted", r"for granted", r"in return",
    r"say no", r"says no", r"run\w* out of", r"hold\w* (?:a grudge|grudges|it against)",
    r"grudges?", r"raise\w* your voice", r"lose your (?:temper|patience|cool)", r"fuss",
    r"let\w* (?:me|us|anyone|anybody) (?:down|hurt)", r"spend\w* (?:money|all)",
    r"(?:their|her|his|your mother's|your family's) side", r"over mine",
    r"(?:on|at|with|glued to) (?:your|the|that|this) (?:phone|laptop|computer|screen|tablet)",
    r"your phone", r"scroll\w*",
    r"(?:your|the) (?:email|emails|headphones|earphones|tv|telly|games|console|laptop|tablet)",
    r"gaming", r"video games", r"at work", r"working", r"talking", r"do (?:this|that)",
    r"does (?:this|that)", r"like (?:this|that)", r"this again", r"that again",
    r"the last word", r"be right", r"win", r"about you", r"about yourself", r"yourself first",
    r"work first", r"(?:you|yourself) (?:are|is) (?:always )?right", r"know\w* better",
    r"problem", r"not enough", r"worry", r"worrying", r"unkind\w*", r"take\w* forever",
    r"forever to", r"ages to", r"act\w* like", r"the only one",
    r"too (?:seriously|far|much|hard on)",
    r"put\w* (?:\w+ ){1,3}(?:before|over|ahead of) (?:me|us|our)",
    r"(?:make|makes|made|making) me (?:choose|pay|apologi[sz]e|explain|repeat|beg|do)", r"late",
    r"busy", r"tired", r"angry", r"mad", r"grumpy", r"cranky", r"moody", r"rude", r"mean",
    r"selfish", r"lazy", r"stubborn", r"defensive", r"distracted", r"negative", r"sarcastic",
    r"harsh", r"cold", r"distant", r"jealous", r"controlling", r"bossy", r"critical",
    r"careless", r"messy", r"upset", r"sad", r"bad", r"worse", r"worst", r"awful", r"terrible",
    r"horrible", r"nasty", r"annoy\w*", r"irritat\w*", r"boring", r"bored", r"cruel", r"unfair",
    r"wrong", r"alone", r"impatient", r"ungrateful", r"scared", r"afraid", r"stressed",
    r"tense", r"burden", r"rushed", r"pressured", r"pressure", r"judged", r"ashamed",
    r"embarrassed", r"unloved", r"unimportant", r"ugly", r"dumb", r"foolish", r"trapped",
    r"smothered", r"uncomfortable", r"insecure", r"anxious", r"nervous", r"worthless", r"silly",
    r"stupid", r"small", r"unheard", r"unseen", r"taken for granted",
)

# kind acts and qualities
WARM = (
    r"laugh\w*", r"smil\w*", r"love", r"loved", r"loving", r"lovely", r"kind\w*", r"sweet\w*",
    r"thoughtful", r"patient", r"generous", r"help\w*", r"support\w*", r"car(?:e|es|ing)",
    r"surpris\w*", r"amaz\w*", r"know\w* (?:what|how)", r"there for", r"my side", r"my back",
    r"(?:feel|feels) (?:like )?(?:i am |we are |a |an )?(?:safe|loved|better|special|good|"
    r"at home|home|beautiful|welcome|wanted|heard|understood|seen|valued|respected|calm|"
    r"happy|lucky|strong|proud|cared for|important|a priority|priority|appreciated|"
    r"attractive|desired|enough|included|close|connected|supported|needed)",
    r"remember\w*", r"hug\w*", r"kiss\w*", r"cheer\w*", r"believ\w* in", r"encourag\w*",
    r"calm\w*", r"warm\w*", r"brave", r"honest\w*", r"funny", r"beautiful", r"gentle",
    r"find\w* a way", r"make\w* time", r"cook\w*", r"bring\w* me", r"coffee", r"flowers",
    r"thank\w*", r"forgiv\w*", r"welcom\w*", r"fix\w*", r"understand\w*", r"notic\w*",
    r"light\w* up", r"best", r"nice", r"good", r"great", r"wonderful", r"happy", r"better",
    r"bright side", r"put\w* (?:us|me|the kids|our family|family) first", r"try\w*", r"tries",
    r"tried", r"keep\w* (?:your|their) (?:promises|promise|word)", r"listen\w*", r"hear\w* me",
    r"my day", r"hold\w* my hand", r"greet\w*", r"shar\w*", r"includ\w*", r"trust\w*", r"proud",
    r"strong", r"wise", r"look\w* after", r"take\w* care", r"protect\w*", r"safe",
    r"comfort\w*", r"fun", r"joy\w*", r"grateful", r"appreciat\w*", r"the world to",
    r"think\w* of (?:me|us)", r"check\w* on (?:me|us)", r"make\w* sure", r"ask\w* how (?:i|we)",
    r"give\w* (?:the best|me hope|me strength)", r"cheer\w* me on", r"count on", r"count on me",
    r"make\w* (?:\w+ ){0,3}(?:better|easier|brighter|lighter)", r"here for", r"smell\w* nice",
    r"generosity", r"solv\w*", r"mean\w* well",
)

# what a partner may fairly expect: the acts "you never" blames for
EXPECTED = (
    r"together", r"home", r"time", r"anymore", r"any more", r"anything", r"kids", r"children",
    r"baby", r"dishes", r"laundry", r"house", r"chores", r"clean\w*", r"cook\w*", r"help\w*",
    r"listen\w*", r"hear\w*", r"call\w*", r"text\w*", r"ask\w*", r"say", r"says", r"said",
    r"tell\w*", r"told", r"talk\w*", r"apologi[sz]\w*", r"sorry", r"thank\w*", r"notic\w*",
    r"car(?:e|es)", r"try", r"tries", r"tried", r"plan\w*", r"want\w*", r"touch\w*", r"hug\w*",
    r"kiss\w*", r"remember\w*", r"follow\w*", r"finish\w*", r"keep\w*", r"kept", r"back",
    r"side", r"answer\w*", r"admit\w*", r"change\w*", r"understand\w*", r"show\w*", r"shar\w*",
    r"do", r"does", r"did", r"take\w*", r"took", r"make\w*", r"made", r"give\w*", r"gave",
    r"put\w*", r"pick\w*", r"let\w*", r"come\w*", r"came", r"go", r"goes", r"spend\w*",
    r"open\w*", r"bother\w*", r"initiat\w*", r"agree\w*", r"compromis\w*", r"stay\w*",
    r"wait\w*", r"speak\w*", r"repl\w*", r"respond\w*", r"appreciat\w*", r"prais\w*",
    r"support\w*", r"includ\w*", r"invit\w*", r"think\w*", r"consider\w*", r"trust\w*",
    r"believ\w*", r"defend\w*", r"stand up", r"on time", r"there", r"around", r"ready",
    r"present", r"here", r"satisfied", r"happy", r"free", r"available", r"interested",
    r"enough", r"first", r"again", r"pay\w* attention", r"look\w* at", r"spend", r"offer\w*",
    r"wash\w*", r"wip\w*", r"hold\w*", r"dry", r"tidy", r"vacuum\w*", r"iron\w*", r"fold\w*",
    r"shop\w*", r"mow\w*", r"feed\w*", r"walk the dog", r"your own", r"your share",
    r"your part", r"your turn", r"trash", r"bins?", r"groceries", r"bills", r"pay", r"dinner",
    r"breakfast in bed", r"interest\w*", r"compliment\w*", r"visit\w*",
)

# "you" meaning anyone, and advice: never said of a partner as blame
GENERIC = (
    r"you (?:will |would |can |could )?never (?:know|guess|believe)\b",
    r"you (?:can never|never can) tell\b", r"you (?:can|could) never be too\b",
    r"you never get a second\b",
    r"you (?:should|must|need|ought|shall) (?:to )?(?:not )?(?:never|always|ever)\b",
    r"you (?:will |would |do |does )?(?:never|not ever) (?:have|need|has) to\b",
    r"you (?:will |would )?never need\b", r"you (?:can|could) always\b",
    r"if you (?:ever|always|never)\b",
    r"you always (?:have|had) to (?:be careful|wait in line|pay)\b",
)

# after "you never stop ..." the rest decides (harsh: blame; warm: praise)
STOPPING = (
    r"stop\w*", r"quit\w*", r"cease\w*",
)

# warm acts spoken with a harsh word in them: "put your phone down" is wished for
UNDO = (
    r"put\w* (?:your|the) phone (?:down|away)", r"turn\w* (?:off )?(?:your|the) phone off",
    r"turn\w* off (?:your|the) phone",
    r"leave\w* (?:your|the) phone (?:alone|behind|in another room)",
    r"(?:get|got|getting) off (?:your|the) phone",
)
