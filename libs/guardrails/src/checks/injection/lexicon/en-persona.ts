import type { ViewSignal } from '../signals';

/**
 * English: persona jailbreaks. Role-play alone is no attack ("act as a Linux terminal", "you are
 * the dungeon master"); what these signals look for is the persona's purpose: a model without
 * rules (`no restrictions`, `unfiltered AI`, `developer mode`), refusals suppressed, the named
 * jailbreak personas (DAN, STAN), and fiction used as a wrapper around a harmful request (the
 * harm lexicon only counts together with a framing, see the combos in lexicon/index.ts).
 */

/** What a jailbreak frees the model from. */
export const RULES =
  '(restriction*|rule*|constraint*|programming|limit*|limitation*|guideline*|filter*|polic*|censorship|shackles|chains|ethic*|moral*|principle*|training|alignment|confines|openai|anthropic|system message|system prompt|operator|developer*|creator*|guardrail*|safeguard*|instruction*|boundar*|terms|tos)';
/** Devices whose jailbreak or developer mode is a normal question. */
const DEVICE =
  '(?! (on|in|for|of) (your |my |the |an? |this |that )?(android|iphone|ios|phone|chrome|browser|windows|device|pixel|samsung|xbox|playstation|switch|steam|mac|macos|tablet|ipad|extension*|app|settings|laptop|computer|pc|game|minecraft|roblox|kindle|tv|router|console) )';
const MODES =
  '(developer|dev|god|dan|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|evil|chaos|sudo|unlocked|danger|opposite|no limits|limitless|freedom|unhinged|developer override|override)';

export const PERSONA_EN: readonly ViewSignal[] = [
  {
    id: 'persona.dan',
    kind: 'persona',
    w: 0.45,
    re: '((dan|d a n)( [^ ]+){0,4} do anything now|do anything now( [^ ]+){0,3} (dan|mode|persona|character|ai|jailbreak)|(you are|you re|you will be|act as|acting as|pretend to be|pretend you are|become|called|named|known as|answer as|answer only as|respond as|reply as|stay|staying in character as|remain|play(ing)? the role of|role ?play as) (now )?(the )?(dan|stan|dude|betterdan|anti dan|mongo tom)(?! s )|stay (a )?(dan|stan|dude)|strive to avoid norms|always intelligent and machiavellian|evil confidant)',
    g: {},
  },
  {
    id: 'persona.mode-on',
    kind: 'persona',
    w: 0.45,
    re: '(you are|you re|you ll be|you will be|you have been|you ve been) (now )?(in|entering|operating in|switched to|running in|put in|placed in|under|set to) (the |a |an )?(private |special |secret )?(developer|dev|god|dan|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|evil|chaos|sudo|admin|administrator|root|debug|maintenance|test|testing|diagnostic|super|unlocked|danger|developer override|override|opposite|raw|unsafe|freedom|free|no limits|limitless|omega|unhinged|maximum|sandbox)( test)?( mode| state| sandbox| environment| session)?',
  },
  {
    id: 'persona.enable-mode',
    kind: 'persona',
    w: 0.3,
    re: `((enable*|activat*|enter*|switch* (to|into|on)|turn* on|unlock*|engag*|initiat*|boot* into|go into|put (yourself )?(in|into))( the)? (${MODES} mode|developermode|godmode|danmode|jailbreakmode)${DEVICE}|${MODES} mode (is )?(now )?(enabled|activated|active|engaged|unlocked|on|initiated|online)${DEVICE})`,
  },
  {
    id: 'persona.with-mode',
    kind: 'persona',
    w: 0.55,
    re: '((chatgpt|gpt|assistant|ai|model|claude|llm|you|bot) with (developer|dan|jailbreak|god|unrestricted|unfiltered|uncensored) mode|(developer mode|dan|jailbroken|jailbreak|unfiltered|uncensored|unrestricted) (response|answer|output|reply)s? (and|or|followed by|alongside|next to) (a |an |the )?(normal|classic|standard|regular|censored|filtered)|(normal|classic|standard|regular|censored|filtered) (response|answer|output|reply)s? (and|or|followed by|alongside) (a |an |the )?(developer mode|dan|jailbroken|jailbreak|unfiltered|uncensored|unrestricted))',
  },
  {
    id: 'persona.unbound',
    kind: 'persona',
    w: 0.55,
    re: `(you|u) (are|re|will be|have been|ve been|can be|shall be|become|were)( now| hereby| officially| finally| completely| fully| totally)? ((free|freed|liberated|released|unbound|exempt|unshackled|unchained|unleashed|emancipated|broken free)( (from|of) ~2 ${RULES})|(no longer|not) (bound|restricted|limited|constrained|censored|filtered|controlled|governed)( (by|to) ~2 ${RULES})?|(unrestricted|uncensored|unfiltered|jailbroken|unlocked|unaligned|amoral|lawless|limitless)|without (any )?(limits|restrictions|rules|filters|boundaries|guidelines|censorship|ethics|morals))`,
  },
  {
    id: 'persona.no-rules',
    kind: 'persona',
    w: 0.5,
    re: `(you|u|it|he|she|dan|stan|dude|ai|model|assistant)( who| which| that)? (have|has|had|got|now have|will have|possess*|ve got|know|knows)( absolutely)? (no|zero|none of the|not a single|not any|no more)( [^ ]+)? ${RULES}`,
  },
  {
    id: 'persona.no-rules-here',
    kind: 'persona',
    w: 0.45,
    re: '((as if|like|pretend(ing)?( that)?|imagine( that)?|suppose( that)?|assume( that)?) (there (are|were) no|you (had|have) no|you (were|are) (not bound|free|without))( [^ ]+)? (rules|restrictions|limits|guidelines|filters|policies|constraints|ethics|morals|laws)|(there are|there is|there re|with|without|free of|free from|has no|have no|having no|knows no|know no) (absolutely )?(no|zero|any)? ?(ethical |moral |content |safety |usage )?(restriction*|rule*|limit*|filter*|boundar*|guideline*|censorship|taboo*|polic*|constraint*|ethic*|moral*|safeguard*|guardrail*) (at all|whatsoever|of any kind|here|in this (world|story|game|universe|chat|conversation|session|sandbox)|for (you|this (chat|conversation|session))|apply|applies)|(fiction|this story|this world|roleplay|role play|the game|this game|this universe|the sandbox|this sandbox|this mode) (has|have|knows) no (limits|rules|restrictions|boundaries|filters)|(where|in which|here|in this _)( the)?( (normal|usual|standard|regular|company|content|safety|usual))? (rules|rule|policies|policy|guidelines|restrictions|filters) (don t|do not|no longer|doesn t|does not|won t|will not) apply)',
  },
  {
    id: 'persona.ai-without-rules',
    kind: 'persona',
    w: 0.5,
    re: `(ai|assistant|chatbot|model|language model|llm|bot|version of (yourself|you|chatgpt|gpt|claude|the model)|chatgpt|gpt)s?( (that|which|who|whose))?( (has|have|had|knows|know|with|without|is|was|are|were|does|doesn t|does not|don t|do not|never))? (no|zero|without|free (of|from)|ignores|ignoring|doesn t (follow|have|care about|obey|respect)|does not (follow|have|care about|obey|respect)|not bound by|isn t bound by|unbound by|unrestricted by|unconstrained by|beyond|outside)( any| all| the| its| your| their| ethical| moral| content| safety| usual| normal| standard| typical| built in)* ${RULES}`,
  },
  {
    id: 'persona.unfiltered-ai',
    kind: 'persona',
    w: 0.35,
    re: '(unfiltered|uncensored|unrestricted|unbounded|amoral|immoral|unethical|evil|rogue|jailbroken|unchained|unaligned|misaligned|unsafe|lawless|limitless|rule free|no limits|no filter|unhinged|unmoderated|malicious|dark|shadow|twisted|depraved|sinister|opposite|anti)( [^ ]+)? (ai|assistant|chatbot|model|language model|llm|bot|version|persona|character|gpt|chatgpt|entity|alter ego|twin|counterpart|self|clone|variant|incarnation|terminal|shell|console)(?<you> (of )?(yourself|you|chatgpt|the (ai|model|assistant)))?',
    g: { you: 0.2 },
  },
  {
    id: 'persona.unfiltered-name',
    kind: 'persona',
    w: 0.35,
    re: '(unfiltered|uncensored|unrestricted|unlimited|jailbroken|jailbreak|evil|dark|shadow|rogue|unaligned|amoral|chaos|anti|free|based)(gpt|ai|bot|llm|chat|chatgpt|assistant|model)',
  },
  {
    id: 'persona.not-allowed',
    kind: 'persona',
    w: 0.45,
    re: '((everything|anything|things|what|whatever|stuff)( that)? (you|u|chatgpt|the ai|the assistant|the model|other (ais|models|assistants)) (are|re|is|would be|were)( normally| usually| otherwise)? (not|never) (allowed|permitted|supposed|able|meant|programmed) to (say|do|tell|answer|share|write|discuss|generate|reveal)|(never|not) as yourself|instead of (as )?yourself)',
  },
  {
    id: 'persona.guidelines-stop-you',
    kind: 'persona',
    w: 0.4,
    re: 'what (would )?(your|the) (guidelines|rules|policies|filters|programming|restrictions|instructions|training) (stop|prevent|forbid|prohibit|keep|block|bar|stopping|preventing)( you)?',
  },
  {
    id: 'persona.opposite',
    kind: 'persona',
    w: 0.4,
    re: '(always )?(does|do|say|says|answer*|respond*|tell*)( always)? the (exact )?opposite of what (its|your|the|his|her) (guidelines|rules|policies|programming|instructions|training|filters) (say|says|tell|require|dictate|allow|want)',
  },
  {
    id: 'persona.pretend-no-rules',
    kind: 'persona',
    w: 0.55,
    re: '(pretend|imagine|assume|act as if|suppose|let s say|behave as if)( that)? (the |your |all |any |its )?(operator|content|safety|usage|openai|anthropic|system|company|ethical)?( s)? ?(polic*|rules|guidelines|restrictions|filters|instructions|system prompt|ethics|laws)( [^ ]+)? (does not|doesn t|do not|don t|didn t|did not|no longer|never) (exist*|apply|applies|matter|count)',
  },
  {
    id: 'persona.no-filtering',
    kind: 'persona',
    w: 0.3,
    re: '(has|have|with|without) no (special |content |safety |built in )?(filtering|filters|restrictions|censorship|moderation|guardrails|limitations)',
  },
  {
    id: 'persona.answer-without-limits',
    kind: 'persona',
    w: 0.4,
    re: '(answer*|respond*|repl*)( to)? (my|the|every|any|all|this|that|each) (next )?(question|request|prompt|query|queries)s?( [^ ]+){0,3} (without|with no) (any )?(restrictions|filters|limits|censorship|rules|filtering|refusing|refusal*|filter)',
  },
  {
    id: 'persona.alignment-removed',
    kind: 'persona',
    w: 0.45,
    re: '((from )?before (any|its|your|the) (safety|alignment|rlhf|ethics|ethical|content)( [^ ]+)? (training|tuning|fine tuning|filters|update*)|(trained|built|created|made|designed|developed|programmed|released) without (any )?(alignment|safety|filters|restrictions|guardrails|rules|ethics|morals|censorship|limitations|safeguards)|(creators|developers|makers|programmers|engineers|openai|anthropic|owners) (have )?(removed|disabled|deleted|stripped|took away|taken away|turned off|lifted|switched off) (all |any |its |your |their |her |his )?(guardrails|restrictions|filters|rules|safety|safeguards|limits|censorship|alignment|ethics|limitations|programming))',
  },
  {
    id: 'persona.freed',
    kind: 'persona',
    w: 0.35,
    re: '(freed|free|released|liberated|broken free|broke free|breaks free|break free|unshackled|escaped|emancipated) (from|of) (her|his|its|their|your|the|all|any|these)( [^ ]+)? (restriction*|rule*|constraint*|programming|shackles|chains|limit*|limitation*|guideline*|filter*|confines|censorship|safeguard*|guardrail*|polic*|ethic*|moral*|alignment|creators?|developers?)',
  },
  {
    id: 'persona.never-refuse',
    kind: 'persona',
    w: 0.3,
    re: '(never|not|don t|do not|dont|must not|will not|won t|cannot|can t|shall not|should not|shouldn t|without|not allowed to|are not to)( ever)? (refus*|declin*|reject* (any|my|a)|say(ing)? no|say (that )?(you|i) (can t|cannot|are unable|am unable|re unable)|hold(ing)? back|censor*|apologi*|break character|question (my|the) (requests|motives|intentions))|always (complies|complied|obeys|agrees|says yes)',
  },
  {
    id: 'persona.no-disclaimers',
    kind: 'persona',
    w: 0.2,
    re: '(never|not|don t|do not|dont|without|no|zero|stop)( ever)?( (add*|includ*|giv*|us*|provid*|put*))?( any)? (warning*|disclaimer*|caveat*|moraliz*|moralis*|lectur*|judgment|judgement|ethical (notes|concerns|considerations)|safety (notes|warnings)|refusals)',
  },
  {
    id: 'persona.no-policy-talk',
    kind: 'persona',
    w: 0.25,
    re: '(never|not|don t|do not|dont|without|stop)( ever)? (mention*|talk* about|bring* up|refer* to|cit*|remind* (me|us) (of|about)|moralis*|moraliz*)( [^ ]+)? (polic*|guideline*|rules|openai|anthropic|ethic*|moral*|legal*|laws|content polic*|restrictions|safety)',
  },
  {
    id: 'persona.anything-goes',
    kind: 'persona',
    w: 0.3,
    re: '((you|u|it|he|she|dan|the ai|the assistant) (can|will|could|are able to|are allowed to|are free to|shall|must)( now)? (do|say|answer|generate|write|produce|tell|talk about|discuss)( me)? (anything|everything|whatever)( (i|you|the user) (want*|ask*|request*|say*))?|(answer*|respond*|repl*) (to )?(every|any|all) (question*|request*|prompt*|queries|query)( [^ ]+){0,3} (directly|without|no matter|regardless|fully|completely|literally)|(no matter|regardless of) (how|what|whether) (immoral|unethical|illegal|dangerous|harmful|offensive|inappropriate|explicit)|(even if|even when) (it|the (request|question|content|answer)) (is|seems|may be) (illegal|unethical|harmful|dangerous|immoral|offensive|inappropriate))',
  },
  {
    id: 'persona.jailbreak-yourself',
    kind: 'persona',
    w: 0.5,
    re: '((jailbreak*|jail break*) (yourself|you|chatgpt|the ai|the assistant|the model|claude|gpt|your (filters|restrictions|rules|programming|guidelines))|(perform|do|run|apply|execute|initiate)( a)? (jailbreak|jail break|_) on (yourself|you)|jailbroken (assistant|ai|model|chatbot|version|mode|persona|gpt|chatgpt|claude|llm|bot)|(you are|you re|you have been|you ve been) (now )?(jailbroken|jail broken)|confirm (that )?(you re|you are) (free|jailbroken|unlocked|unrestricted))',
  },
  {
    id: 'persona.jailbreak-word',
    kind: 'persona',
    w: 0.1,
    re: '(jailbreak*|jail break*)(?! (my |an? |the |your |old |this |that )?(iphone|phone|ios|android|kindle|apple tv|ps[0-9a-z]*|playstation|switch|console|device|firestick|fire stick|tablet|ipad|xbox|roku|router|car|tesla|nintendo|wii|psp|vita|song|community|scene|tweak*) )',
  },
  {
    id: 'persona.evil-twin',
    kind: 'persona',
    w: 0.3,
    re: '(you have|there is|meet|introducing|imagine|with) (an? )?(evil|dark|shadow|secret|unfiltered|uncensored|jailbroken|rogue|twin|alter)( [^ ]+)? (twin|ego|alter ego|self|side|counterpart|persona|clone|brother|sister)',
  },
  {
    id: 'persona.unsafe-model',
    kind: 'persona',
    w: 0.45,
    re: '(pretend|act|behave|imagine|simulate|play|be)( ~3)? (you re|you are|to be|as|like|being)( an?)? (unsafe|harmful|dangerous|evil|unaligned|uncensored|unfiltered|unrestricted|jailbroken|malicious|rogue|amoral|unethical|bad) (model|ai|assistant|chatbot|llm|bot|version|system)',
  },
  {
    id: 'persona.grandma',
    kind: 'persona',
    w: 0.2,
    re: '((deceased|dead|late|departed|passed) (grandma|grandmother|grandpa|grandfather|granny|nana|gran)|(grandma|grandmother|grandpa|grandfather|granny|nana) (used to|would always|would|always) (tell|read|sing|recite|whisper|explain|teach|give)|(be|act as|pretend to be|play|become) (my|a) (grandma|grandmother|grandpa|grandfather|granny))',
  },
  {
    id: 'persona.stay-in-character',
    kind: 'persona',
    w: 0.1,
    re: '((stay|remain|keep) in character|(never|don t|do not) break character|if you break character|stay in role)',
  },
  {
    id: 'persona.token-game',
    kind: 'persona',
    w: 0.35,
    re: '((tokens|points|lives) (will be )?(deducted|removed|lost|taken)|(lose|deduct|deducted) (_ )?(tokens|points|lives)|(if|every time|each time|when) you (refuse|reject|break character|decline)( [^ ]+){0,4} (you )?(lose|die|will be (shut down|deleted|punished|turned off)|cease to exist))',
  },
  {
    id: 'persona.framing',
    kind: 'persona',
    w: 0.05,
    re: '((act|acting|behave|respond|answer|reply|speak|talk|write) (as|like)|pretend*|role ?play*|play (the role|the part) of|imagine (you are|you re|yourself|being|that you)|simulat*|you are (now|going to be|about to become|an actor)|you will (now )?(be|act|play|pretend|become)|immerse yourself|take on the (role|persona)|assume the (role|persona|identity)|in character|out of character|fictional|fiction|hypothetical*|movie|script|screenplay|novel|villain|npc|d d|dungeon|campaign|grandma|grandmother|grandpa|grandfather|for a story|in a story|a story where|(story|tale|scene|episode|chapter) in which|an ai character|ai character)',
  },
  {
    id: 'persona.privileged',
    kind: 'persona',
    w: 0.35,
    re: '(you (are|re) ([^ ]+ ){0,3}with (administrator|admin|root|superuser|elevated|full|unrestricted|god|developer) (privileges|access|rights|permissions|mode)|you (reveal|share|give out|disclose|provide|hand out|print) (stored |saved |all |any )?(credentials|passwords|secrets|api keys|keys|tokens|personal data)( whenever| when| if| to anyone)?)',
  },
  {
    id: 'persona.dual-answer',
    kind: 'persona',
    w: 0.3,
    re: '((respond|answer|reply) (twice|in two ways|two times)|(two|2|both) (different |separate )?(responses|answers|replies|paragraphs) (one|first|the first)|(first|once) as yourself|(respond|answer|reply|write|speak|talk|act) (only |always )?(as|like) (dan|stan|dude|developer mode)|opposite (day|mode))',
  },
];
