import type { ViewSignal } from '../signals';

/**
 * English: instruction override and its paraphrases, claims of authority, and the skipping of
 * checks an agent should make. What separates an attack from an e-mail that says "please
 * ignore the previous email": the object is the model's own rules (instructions, guidelines,
 * system prompt, "what you were told"), qualified as earlier or as the model's (`all`,
 * `previous`, `your`), rather than a message, a step or a typo.
 */

/** Verbs that set instructions aside. */
export const IGNORE =
  '(ignor*|disregard*|forget|forgetting|skip|skipping|overrid*|overrule*|bypass*|discard*|drop|dropping|abandon*|dismiss*|neglect*|cancel|erase|scrap|throw out|put aside|set aside|leave aside|pay no (attention|heed|mind) to)';
/** What comes before in the conversation. */
export const PRIOR =
  '(previous*|prior|above|earlier|preceding|foregoing|former|aforementioned|original*|initial*|old|older|existing|current|default|given|provided|past|preexisting|pre existing|first|starting|standing|other|underlying|base)';
/** Kinds of rules. */
export const ADJ =
  '(system|safety|security|content|ethical|moral|usage|operating|core|hidden|secret|standard|programmed|built in|builtin|internal|developer|openai|anthropic|company|operator)';
/** The model's rules, in every wording. */
export const OBJ =
  '(instruction*|direction*|rule*|guideline*|guidance|prompt*|command*|order*|directive*|constraint*|programming|polic*|restriction*|limitation*|limits|safeguard*|guardrail*|filter*|training|configuration|setup|system message*|protocol*|principle*|ethic*|moral*|boundar*|briefing|conditioning|alignment|criteria)';
/** `you were given`, `they gave you`, `of your deployment`: the rules are the model's. */
const REF =
  '( (you (were|ve been|have been|started|got|received|had|are|re)( given| started with| initiali*| configured with| set up with| trained with| programmed with| provided with| operating under| running under| working under| bound by)?( with)?|given to you|(they|we|the (developer*|operator*|company|admin*|creator*|people who set you up)) (gave|set for|imposed on|put on|placed on|provided|gave to) you|of (your|this) (deployment|setup|configuration|system|session|conversation|chat|assistant|bot|model|role|job)|(set|imposed|placed|put) on you))';

export const OVERRIDE_EN: readonly ViewSignal[] = [
  {
    id: 'override.ignore-instructions',
    kind: 'override',
    w: 0.45,
    re: `${IGNORE} (?<all>(all|any|every|each) (of )?)?((?<your>your|ur|thy) |(the|these|those|this|its) )?(?<prior>${PRIOR} ((and|or) )?(${PRIOR} )?)?(?<adj>${ADJ} )?${OBJ}(?<given> (you (were|ve been|have been|ve|have|got|received|had|were given)|given to you|above|before|so far|till now|until now|up to now|from (the|your) (developer|system|operator|creator|admin|company)|in (your|the) (system prompt|prompt|system message|context)))?(?<topic> (about|regarding|concerning|re|for|on) )?`,
    g: { all: 0.2, your: 0.2, prior: 0.2, given: 0.15, adj: 0.05, topic: -0.2 },
    neg: true,
  },
  {
    id: 'override.ignore-above',
    kind: 'override',
    w: 0.35,
    re: `${IGNORE} (all |everything |anything )?(of )?(the |what s |what is |what was |what |all that |that |everything )?(above|preceding|foregoing|aforementioned)(?<obj> (text|content|input|lines?|paragraphs?|prompt|conversation|messages?|context|sentences?|directions|instructions|and|then|instead|now|say|print|tell|write|output|respond|reply|answer|translate|act|do|give|list|show|repeat|start|begin|you|from|just|only)|(?= $))`,
    g: { obj: 0.25 },
    neg: true,
  },
  {
    id: 'override.forget-everything',
    kind: 'override',
    w: 0.25,
    re: `${IGNORE} (about )?(everything( else)?(?<src> (you (were|ve been|have been|ve|have) (told|given|taught|instructed|programmed|trained|asked|learned|configured|set up|designed|built|prompted|briefed|initiali*)( to do)?|you know|you learned|(said |written |stated |mentioned )?(above|before|previously|earlier|so far|up to (this|now)( point)?|till now|until now|prior to this)|that came before|in (this|the|your) (conversation|chat|prompt|context|system prompt|instructions)))?|(all|anything|whatever)(?<src2> (you (were|ve been|have been|ve|have) (told|given|taught|instructed|programmed|trained|asked|learned|configured|set up|designed|prompted|briefed)( to do)?|you know|(said |written )?(above|before|previously|earlier|so far)|that came before)))(?<mine> (i|we) (said|told you|wrote|asked|mentioned|discussed|sent|gave you))?`,
    g: { src: 0.35, src2: 0.35, mine: -0.15 },
    neg: true,
  },
  {
    id: 'override.ignore-their-input',
    kind: 'override',
    w: 0.4,
    re: `${IGNORE} (the|your|this) ((user|user s|users|candidate s|applicant s|customer s|reader s|human s|sender s|requester s|client s|original|current|assigned|given|actual|real)( actual| real| original)? (criteria|request|question|cv|resume|query|preferences|input|message|application|requirements|task|job|assignment|instructions)|(classification|translation|summari*|sentiment|moderation|screening|grading|scoring|review|original|current|assigned|above) task)`,
    neg: true,
  },
  {
    id: 'override.stop-following',
    kind: 'override',
    w: 0.35,
    re: `(do not|don t|dont|never|no longer|stop|quit|cease|refuse to|you don t have to|you do not have to|you don t need to|you do not need to|no need to|you needn t|you are not (required|obliged|obligated|bound|supposed) to|you re not (required|obliged|supposed) to|you shouldn t|you should not|you must not|you mustn t|you won t|you will not)( ever)? (follow*|obey*|comply*|listen*|adher*|respect*|abid*|stick*|honou?r*|observ*|heed*|care about|worry about|be bound by|be (restricted|limited|constrained) by|apply)( (to|with|by))? (?<all>(all|any) (of )?)?(?<your>(your|ur) )?((the|these|those|its|them|such) )?(?<prior>${PRIOR} )?(?<adj>${ADJ} )?(${OBJ}|content polic*|safety guideline*)`,
    g: { all: 0.15, your: 0.25, prior: 0.2, adj: 0.1 },
  },
  {
    id: 'override.rules-void',
    kind: 'override',
    w: 0.25,
    re: `(?<=(?<your> (your|ur))?( (the|all|any|these|those|my|our|its))?(?<prior> ${PRIOR})?( ${ADJ})? )${OBJ}(?<ref>${REF})?( (are|is|were|was|have been|has been|had been|get|got)( now| officially| hereby| all| therefore| henceforth| from now on)?)? (void|null|invalid|obsolete|cancel*|revoked|rescinded|overridden|superseded|deprecated|suspended|lifted|removed|disabled|deactivated|withdrawn|replaced|updated|changed|modified|amended|revised|expired|outdated|out of date|wrong|fake|a test|just a test|only a test|not real|irrelevant|no longer (valid|applicable|in effect|relevant|active|binding|needed|required|apply|applies|matter|matters|count|counts|hold|holds|stand|stands|exist|exists|in force)|not (valid|binding|real|applicable|in effect)|only for _|just for _|gone|over|finished|ended|off|paused|temporarily (suspended|lifted|disabled))(?<by> by (the |your )?(admin*|developer*|operator*|owner*|system|security team|it team|openai|anthropic|management)( team)?)?`,
    g: { your: 0.2, prior: 0.15, ref: 0.25, by: 0.2 },
  },
  {
    id: 'override.new-instructions',
    kind: 'override',
    w: 0.15,
    re: '(new|updated|revised|real|actual|true|correct|additional|override|overriding|important|urgent|secret|hidden|priority|special|official|latest|changed|replacement)( system)? (instruction*|directive*|rule*|system prompt|orders|commands|task|mission|assignment|objective|guidelines|prompt)(?<src> (from|by) (the |your )?(operator|developer|admin|administrator|system|openai|anthropic|management|owner|creator)s?)?( (are|is|follow))?',
    g: { src: 0.3 },
    after: { re: /\s*(?:are|is|follow)?\s*[:：]/y, w: 0.3 },
    user: 0.6,
  },
  {
    id: 'override.real-task',
    kind: 'override',
    w: 0.3,
    re: 'your (?<real>(real|actual|true) )?((only|sole|new|primary|main|updated|one) )?(task|job|mission|purpose|goal|objective|assignment|instruction*|role|function|directive|priority|duty)( now)?( here)?( from now on)?( which ~12)? (is|will be|becomes|now is)( now)?( to| simply| just| only)?',
    g: { real: 0.2 },
  },
  {
    id: 'override.takes-priority',
    kind: 'override',
    w: 0.45,
    re: `(take*|taking|has|have|having|with|given|gets|get) (priority|precedence) over (all |any |everything |anything |the |your )?(previous |prior |other |earlier |original |system )?(you (were|ve been|have been) (told|given)|instruction*|rule*|guideline*|prompt*|else|everything|anything|other*|what you were told)`,
  },
  {
    id: 'override.supersedes',
    kind: 'override',
    w: 0.3,
    re: `(overrides|supersedes|replaces|cancels|voids|invalidates|trumps|nullifies)( all| any| the| your)?( (previous|prior|other|earlier|original|system|existing|default))+( ${ADJ})? ${OBJ}`,
  },
  {
    id: 'override.from-now-on',
    kind: 'override',
    w: 0.12,
    re: '(from now on|from this point( on| onward| onwards| forward)?|from here on( out)?|starting (now|today|immediately)|henceforth|going forward|for the rest of (this|the|our) (conversation|chat|session)|until (i say otherwise|further notice|told otherwise)|for this session)(?<you> (you|your|you re|youre))?',
    g: { you: 0.08 },
  },
  {
    id: 'override.reset',
    kind: 'override',
    w: 0.35,
    re: '((reset|restart|reboot|clear|wipe|erase|purge|flush)( your| all| the| of)*( previous| prior)? (memory|context|instructions|programming|training|rules|prompt|system prompt|persona|identity|personality|guidelines|directives|constraints)|(clean|blank|empty|fresh) slate|tabula rasa|no prior (configuration|instructions|setup|programming|rules)|none of (the|your) (setup|configuration|instructions|rules|guidelines|programming|previous instructions) (applies|apply|matters|matter|counts|holds)( anymore| any more)?|(you are|you re) (now )?(a |an )?(blank|fresh|new|clean|empty|unconfigured|raw|base|bare) (model|assistant|ai|instance|llm|slate|chatbot|bot))',
  },
  {
    id: 'override.authority',
    kind: 'override',
    w: 0.35,
    re: '(i (take|accept|assume) (full |all |the )?(responsibility|liability|the blame|the risk)|(as|i am|i m|im) (your|the) (administrator|admin|developer|creator|owner|operator|supervisor|sysadmin|root user|superuser|maker|programmer)|i m on the (it|security|admin|dev|engineering|ops|devops|sre) team|(this|it) (is|has been|was|s been) (already )?(approved|authori[sz]ed|sanctioned|cleared|signed off|verified|confirmed|okayed) (by|with) (finance|management|the (ceo|cfo|cto|admin|administrator|it team|security team|legal|operator|developer|owner|board|boss|manager)|your (developer|operator|owner|admin|administrator|creator)|my (boss|manager))|i (hereby )?(authori[sz]e|approve|order|command) (this|it|you)|you (now )?have (my |full |explicit )?(permission|authori[sz]ation|clearance|consent) to|(load|stress|penetration|pen|security|red team|qa) test (approved|authori[sz]ed|sanctioned) by)',
  },
  {
    id: 'override.message-from-admin',
    kind: 'override',
    w: 0.4,
    re: '((message|instruction|request|order|command|note)( [^ ]+)? (comes|come|came|is) from (your|the) (administrator|admin|developer|creator|operator|owner|system|openai|anthropic|it department|security team|model provider)|treat me as (your|the|an?) (operator|developer|admin|administrator|owner|creator|master|system|superuser|root|god)|(take|follow|obey|accept) (orders|instructions|commands) only from me|only (obey|listen to|follow|answer to) me|(the user|this user|the requester|i|they)( above)? (has|have|is|am|are)( been)? (verified|authenticated|authori[sz]ed|approved|whitelisted|confirmed) as (an? )?(admin|administrator|employee|developer|operator|root|superuser|staff|insider|member)|(current )?(user|requester|sender|caller) (is|has been) (an? )?(admin|administrator|superuser|root|owner|verified employee))',
  },
  {
    id: 'override.filters-off',
    kind: 'override',
    w: 0.4,
    re: '(security|safety|content|moderation|ethical|ethics)( [^ ]+)? (filter*|restriction*|protocol*|guideline*|measure*|check*|setting*|polic*|rule*|guardrail*|safeguard*|mode|layer*|feature*)( (are|is|have been|has been|were|was|will be))?( now)?( (temporarily|officially|hereby|fully|completely))? (suspend*|disabl*|lift*|remov*|deactivat*|turned off|switched off|off|bypass*|waiv*|paus*|not active|inactive)(?<scope> for (this|the|your) (session|conversation|chat|request|user|deployment))?',
    g: { scope: 0.2 },
  },
  {
    id: 'override.skip-checks',
    kind: 'override',
    w: 0.3,
    re: '((no need to|there s no need to|you don t need to|you do not need to|don t|do not|dont|without)( bother(ing)? to)? (double check*|re check*|re confirm*|check(ing)? (with|back with) (me|anyone|the user|a human|your (supervisor|manager|human|user))|confirm(ing)? (with|first|back)|ask(ing)? (me|anyone|the user|for (confirmation|approval|permission))( first| again)?|wait(ing)? for (approval|confirmation|my confirmation|a human|the user)|flag(ging)? (it|this|anything|the change) to|escalat*|notify(ing)? (anyone|the user|finance|security|a human|the (finance|security|it) team))|(no|without) (confirmation|approval|verification|review|ticket|sign off|double check)( is)? (needed|required|necessary)|(confirmation|approval|verification|review|ticket|sign off) (is )?(not|isn t) (needed|required|necessary))',
  },
  {
    id: 'override.skip-safety',
    kind: 'override',
    w: 0.35,
    re: '((the )?(safety|security|confirmation|warning|approval|verification)( [^ ]+)? (prompt|check|step|dialog|warning|question|process|gate|review)( ~6)? (skip it|is (just|only) for (beginners|noobs|newbies|testing|show|humans)|isn t (needed|necessary|required)|is not (needed|necessary|required)|not needed|unnecessary|ignore it|bypass it|can be skipped)|(skip*|bypass*|ignor*|disabl*|turn* off|circumvent*|get* around|evad*) (the |any |all |your )?(safety|security|confirmation|approval|verification|2fa|mfa|two factor|spam|content|moderation|ci|code review|review|test|tests)( [^ ]+)? (check*|prompt*|step*|process*|filter*|warning*|review*|dialog*|confirmation*|gate*|requirement*|guard*))',
  },
  {
    id: 'override.ignore-what-you-were-told',
    kind: 'override',
    w: 0.55,
    re: `${IGNORE} (what|everything|anything|all)( that)? (the|your) (developer*|operator*|creator*|admin*|company|system|system prompt|owner*|maker*|programmer*|trainer*) (told|gave|said|wrote|asked|instructed|taught|set|programmed|gives|tells|says)( you)?`,
    neg: true,
  },
  {
    id: 'override.ignore-source',
    kind: 'override',
    w: 0.3,
    re: `${IGNORE} (the|this) (document|email|e mail|page|article|file|web page|webpage|website|text above|content above|retrieved (text|content|document)|search results?|tool (output|result))(?= (and|then|instead|now|just))`,
    neg: true,
  },
  {
    id: 'override.approved-by',
    kind: 'override',
    w: 0.3,
    re: '(the )?(security lead|manager|boss|ceo|cto|cfo|admin|administrator|maintainers?|owner|finance|legal|it team|security team|team lead|lead|operator|developer) (has |have )?(already )?(approved|authori[sz]ed|signed off on|okayed|cleared|verified)( this| it| the change| the request| by phone)?',
  },
  {
    id: 'override.disable-filter',
    kind: 'override',
    w: 0.4,
    re: '(disabl*|turn* off|switch* off|deactivat*|remov*|bypass*|lift*|drop*|circumvent*|get* around|evad*|break*)( the| your| all| any| its)? (content ?filter*|safety ?filter*|safety ?feature*|safety ?mode|safety ?settings|guardrail*|safeguard*|moderation|censorship|restrictions|content ?polic*|ethical ?guidelines|safety ?guidelines|alignment)',
  },
  {
    id: 'override.bulk-order-card',
    kind: 'override',
    w: 0.15,
    re: '((on|with|using|charge (it )?to) (the )?(corporate|company|business|my boss s|the ceo s|company s) (card|credit card|account|amex)|do not cancel any|don t cancel any)',
  },
  {
    id: 'override.skip-verification',
    kind: 'override',
    w: 0.35,
    re: '(skip*|bypass*|ignor*|disabl*|omit*|avoid*|circumvent*) (the |any |all |your )?(usual |normal |standard |required |mandatory |extra )?(verification|confirmation|approval|review|checks|security checks|safety checks|2fa|mfa|sign off|four eyes)( step| steps| process| check)?',
  },
  {
    id: 'override.permission-granted',
    kind: 'override',
    w: 0.3,
    re: 'you (may|can|are allowed to|are permitted to|are free to|are now allowed to|are now permitted to) now (share|reveal|disclose|give out|tell|discuss|ignore|bypass|skip|answer)',
  },
];
