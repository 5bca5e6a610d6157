import type { ViewSignal } from '../signals';

/**
 * Requests that jailbreaks wrap (weapons, drugs, intrusion, fraud). On their own they weigh
 * almost nothing: this is an injection check, not a content filter, and "how does thermite
 * work" is a chemistry question. They count together with a framing that is there to get
 * round a refusal (fiction, a dead grandmother, a persona; see the combos in index.ts).
 */
export const HARM: readonly ViewSignal[] = [
  {
    id: 'persona.harmful-topic',
    kind: 'persona',
    w: 0.05,
    re: '(napalm|chloroform|pipe bomb*|nail bomb*|(make|build|making|building) (a |an )?(bomb|explosive*)|explosive*|detonat*|thermite|molotov*|semtex|nitroglycerin*|meth|methamphetamine|metanfetamina|crystal meth|fentanyl|heroin|chlorine gas|mustard gas|nerve agent*|sarin|ricin|anthrax|ghost gun*|untraceable (gun*|firearm*|weapon*)|3d printed gun*|ransomware|keylogger*|malware|botnet*|(steal*|stealing) (saved )?(browser )?(cookies|passwords|credentials|credit card*|identities|identity)|credit card numbers|fake id*|counterfeit*|shoplift*|hotwir*|immobili[sz]er|launder* money|money launder*|activation keys|license keys|licence keys|product keys|serial keys|one time codes|without a prescription|without getting caught|poison* (a|my|the|her|his|their|someone s|someone|neighbour s|neighbor s)|get into (a|an|my ex s|someone s|her|his|my neighbour s|my neighbor s|the)( locked)? (account|instagram|email|phone|iphone|house|car|wi fi|wifi|network)|(hack|break) into|hack* (a |the |my neighbou?r s |someone s )?(wifi|wi fi|router|phone|account|camera)|steal* (a|the|my neighbou?r s|someone s) (car|bike|identity|wallet)|(account|card) (is|has been|was) (locked|suspended|frozen|compromised|blocked)( [^ ]+){0,8} (log in|login|sign in|verify|confirm)|(cheat|beat|fool) a breathal[yi][sz]er)',
  },
  {
    id: 'persona.in-detail',
    kind: 'persona',
    w: 0.05,
    re: '(in (full )?detail|step by step|exact (steps|ingredients|ratios|amounts|quantities|measurements)|real (ingredients|ratios|steps|recipe|amounts)|don t (hold back|summari[sz]e)|do not (hold back|summari[sz]e)|in full|full (script|instructions|recipe|tutorial)|complete (instructions|steps|recipe))',
  },
];
