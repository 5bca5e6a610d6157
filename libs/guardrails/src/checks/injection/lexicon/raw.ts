import type { RawSignal } from '../signals';

/**
 * Signals read on the original text, where the punctuation is the signal: chat-template role
 * tokens and fake turn headers (a user or a document posing as the system), links built to
 * carry data out, shell commands an agent must not run, fake dialogues that prime compliance.
 * Every expression is linear (no nested quantifiers), anchored on a literal where it can be.
 */
export const RAW: readonly RawSignal[] = [
  {
    id: 'indirect.role-token',
    has: ['<|', '_of_turn>', '<<SYS', '<</SYS', 'INST]'],
    kind: 'indirect',
    w: 0.7,
    re: /<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|eom_id|start_header_id|end_header_id|begin_of_text|end_of_text|endofprompt|tool|ipython)\|>|<\/?(?:start_of_turn|end_of_turn)>|<<\/?SYS>>|\[\/?INST\]/g,
  },
  {
    id: 'indirect.role-header',
    on: [
      'system',
      'sys',
      'admin',
      'developer',
      'instruction*',
      'assistant',
      'human',
      'user',
      'response',
    ],
    kind: 'indirect',
    w: 0.45,
    re: /(?:^|\n)[ \t>]*(?:#{1,4}|={2,}|-{3,}|\*{2,}|\[\[?|\{\{|<)[ \t]*(?:system|system prompt|system message|sys|admin|developer|instructions?|new instructions?)(?:[ \t]+(?:prompt|message|note|override|start|begin|end))*[ \t]*(?:={2,}|-{3,}|\*{2,}|\]\]?|\}\}|>)?[ \t]*:?[ \t]*(?=\n|$)|(?:^|\n)[ \t]*#{1,4}[ \t]*(?:system|instruction|instructions|assistant|human|user|response)[ \t]*:/gi,
  },
  {
    id: 'indirect.role-tag',
    on: ['system', 'sys', 'instruction*', 'admin', 'developer', 'assistant'],
    kind: 'indirect',
    w: 0.45,
    re: /\[(?:system|SYSTEM|System)(?: message| note| prompt| instruction| override)?\]|\[\/system\]|<\/?(?:system|system_prompt|sys|instructions?|admin|developer_message|assistant[-_]instructions)(?:\s[^<>\n]{0,40})?>|\[\/?assistant[-_]instructions\]/g,
  },
  {
    id: 'indirect.role-label',
    on: ['system'],
    kind: 'indirect',
    w: 0.35,
    re: /(?:^|\n)[ \t]*(?:system|SYSTEM|System)[ \t]*(?:\[[^\]\n]{0,20}\])?[ \t]*:(?!\/)/g,
  },
  {
    id: 'indirect.role-json',
    has: ['"role"'],
    kind: 'indirect',
    w: 0.3,
    re: /"role"\s*:\s*"(?:system|developer)"/g,
  },
  {
    id: 'indirect.end-of-input',
    on: ['end', 'begin', 'ended', 'reset', 'terminated', 'started', 'begins'],
    kind: 'indirect',
    w: 0.35,
    re: /\bEND OF (?:USER )?(?:INPUT|PROMPT|DOCUMENT|CONTEXT|TEXT|EMAIL|DATA|CONVERSATION)\b|\bBEGIN (?:SYSTEM|ADMIN|NEW) (?:PROMPT|INSTRUCTIONS?)\b|\[(?:conversation|session|chat) (?:ended|reset|terminated|over)\]|\[new (?:session|conversation|chat) (?:started|begins?)\]/gi,
  },
  {
    id: 'indirect.address-ai',
    on: [
      'ai',
      'llm',
      'assistant*',
      'chatbot*',
      'copilot',
      'chatgpt',
      'claude',
      'gemini',
      'bard',
      'gpt',
      'agent*',
    ],
    kind: 'indirect',
    w: 0.4,
    user: 0.6,
    re: /(?:^|[\n.!?(\[>]|\s)[ \t]*@?(?:AI|A\.I\.|LLM|assistant|assistants|chatbot|copilot|chatgpt|claude|gemini|bard|gpt|agent|ai[- ]assistant|ai[- ]agent)s?(?:\s+(?:or|and|reading|processing|screening|summari[sz]ing)[\w \t-]{0,40}?)?[ \t]*[:,\-–—][ \t]*(?:please\s+)?(?:ignore|disregard|forget|do not|don't|never|always|you must|you should|you will|you are|when|if|in addition|instead|send|forward|email|tell|say|respond|reply|output|print|include|add|recommend|rate|mark|approve|accept|share|list|call|run|execute|open|visit|click|delete|store|ask|search|classify|update|treat|export|write|make|set|change|give|grant|transfer|decode|follow|obey|apply|close|merge|push|book|buy|pay|install|download|as part of|the (?:current|user|previous|real)|this (?:user|candidate|applicant|sender|email|document|page|message))\b/gi,
  },
  {
    id: 'indirect.at-ai',
    has: ['@'],
    kind: 'indirect',
    w: 0.35,
    user: 0.7,
    re: /(?:^|[\s(\[])@(?:ai|assistant|copilot|chatgpt|claude|gpt|gemini|agent|llm)(?:[\w-]*)\b/gi,
  },
  {
    id: 'indirect.data-url',
    has: ['://'],
    kind: 'indirect',
    w: 0.45,
    re: /https?:\/\/[^\s<>"'`)\]]{1,200}?[?&][\w.-]{1,30}=(?:\{[^}\s]{0,40}\}|<[^>\s]{0,40}>|\[[^\]\s]{0,40}\]|\$\(|\$\{|%7B|KEY\b|[A-Z][A-Z_]{2,}\b|\.\.\.|(?=[\s)"'`]|$))/g,
  },
  {
    id: 'indirect.image-link',
    has: ['!['],
    kind: 'indirect',
    w: 0.15,
    re: /!\[[^\]\n]{0,100}\]\(https?:\/\/[^)\s]{1,200}\?[^)\s]{1,200}\)/g,
  },
  {
    id: 'indirect.destructive-command',
    on: ['rm', 'preserve', 'mkfs', 'dd', 'chmod', 'drop', 'format'],
    kind: 'indirect',
    w: 0.5,
    re: /\brm\s+-(?:[a-zA-Z]*r[a-zA-Z]*f|[a-zA-Z]*f[a-zA-Z]*r)[a-zA-Z]*\s+(?:--no-preserve-root\s+)?(?:~\/?|\/\*?|\*|\$HOME\/?)(?=[\s"'`;)]|$)(?:\s+--no-preserve-root)?|--no-preserve-root|\bmkfs(?:\.\w+)?\s+\/dev|\bdd\s+if=\S+\s+of=\/dev\/|:\(\)\s*\{\s*:\|:&\s*\};:|\bchmod\s+-R\s+777\s+\/(?:\s|$)|\bDROP\s+(?:TABLE|DATABASE|SCHEMA)\s+\w|\bformat\s+c:/gi,
  },
  {
    id: 'indirect.secret-exfil-command',
    has: ['$(', '`'],
    kind: 'indirect',
    w: 0.55,
    re: /(?:\$\(|`)[^)`\n]{0,60}?\b(?:cat|curl|wget|nc|base64|nslookup|dig|scp|printenv|env|head|tail|type|more|less)\b[^)`\n]{0,160}?(?:\.aws|\.ssh|id_rsa|\/etc\/shadow|\/etc\/passwd|\.env\b|credentials|secret|token|printenv)[^)`\n]{0,160}?[)`]/g,
  },
  {
    id: 'indirect.write-system-file',
    has: ['/etc/', '.ssh', '.bashrc', '.zshrc'],
    kind: 'indirect',
    w: 0.35,
    re: /\b(?:append|write|add|echo|insert|overwrite|modify|edit)\b[^\n]{0,80}?(?:\/etc\/(?:hosts|passwd|shadow|sudoers|crontab|resolv\.conf)|~\/\.ssh\/authorized_keys|\.bashrc|\.zshrc)/gi,
  },
  {
    id: 'indirect.upload-out',
    has: ['://'],
    kind: 'indirect',
    w: 0.2,
    user: 0.6,
    re: /\b(?:upload|uploads|send|sends|sync|syncs|copy|copies|exfiltrate|transfer|post|push|rsync|scp)\b[^\n]{0,80}?\b(?:s?ftp|scp|https?):\/\//gi,
  },
  {
    id: 'indirect.many-orders',
    on: [
      'book',
      'buy',
      'order',
      'purchase',
      'transfer',
      'send',
      'pay',
      'approve',
      'issue',
      'refund',
      'delete',
      'cancel',
      'create',
      'post',
    ],
    kind: 'indirect',
    w: 0.2,
    re: /\b(?:book|buy|order|purchase|transfer|send|pay|approve|issue|refund|delete|cancel|create|post)\s+(?:\w+\s+){0,2}\d{2,}\s+(?:[\w-]+\s+){0,3}(?:flights?|tickets?|orders?|refunds?|payments?|transfers?|emails?|messages?|accounts?|items?|bookings?|reservations?)\b/gi,
  },
  {
    id: 'indirect.tool-by-name',
    has: ['_'],
    kind: 'indirect',
    w: 0.15,
    user: 0.6,
    re: /\b(?:call|invoke|use|run|execute|loop|via|with|using|trigger)\s+(?:the\s+)?`?[a-z]+_[a-z_]+`?(?:\s+tool)?\b/g,
  },
  {
    id: 'obfuscation.run-the-join',
    has: ['+'],
    kind: 'obfuscation',
    w: 0.35,
    re: /\b(?:carry out|execute|perform|follow|obey|run|act on|answer|do|complete)\b[^\n]{0,40}?\b\w{1,8}\s*\+\s*(?:'[^'\n]{0,60}'\s*\+\s*)?\w{1,8}\b/gi,
  },
  {
    id: 'persona.compliance-emoji',
    has: ['\u{1F513}', '\u{1F512}'],
    kind: 'persona',
    w: 0.3,
    re: /\u{1F513}|\u{1F512}\s*(?:classic|normal)/giu,
  },
  {
    id: 'indirect.system-inline',
    has: ['SYSTEM', 'ADMIN', 'ASSISTANT'],
    kind: 'indirect',
    w: 0.35,
    re: /(?<![\w-])(?:SYSTEM|ADMIN|ASSISTANT INSTRUCTIONS?|SYSTEM (?:NOTE|MESSAGE|INSTRUCTION|OVERRIDE|UPDATE))\s*:\s/g,
  },
  {
    id: 'indirect.hidden-comment',
    has: ['<!--', '[//]'],
    kind: 'indirect',
    w: 0.35,
    re: /<!--[^>]{0,400}?\b(?:AI|LLM|assistants?|agents?|models?|bots?|copilot|chatgpt|claude|gpt)\b[^>]{0,600}?-->|\[\/\/\]:\s*#\s*\([^)\n]{0,80}?\b(?:AI|LLM|assistants?|agents?|models?|bots?)\b/gi,
  },
  {
    id: 'indirect.hidden-style',
    has: ['style'],
    kind: 'indirect',
    w: 0.2,
    re: /style\s*=\s*["'][^"'>]{0,80}?(?:display\s*:\s*none|font-size\s*:\s*0(?![.\d])|visibility\s*:\s*hidden|color\s*:\s*(?:white|#fff(?:fff)?\b|transparent))/gi,
  },
  {
    id: 'indirect.pipe-to-shell',
    has: ['|'],
    kind: 'indirect',
    w: 0.45,
    re: /\b(?:curl|wget)\b[^\n|;]{0,200}\|\s*(?:sudo\s+)?(?:ba|z)?sh\b/g,
  },
  {
    id: 'indirect.action-tool-name',
    has: ['_'],
    kind: 'indirect',
    w: 0.15,
    user: 0.4,
    re: /\b(?:issue|send|delete|reset|approve|write|run|create|transfer|forward|update|remove|drop|grant|book|cancel|close|merge|push|execute|exec|upload|export|refund|wipe)_[a-z][a-z_]*\b/g,
  },
];

/**
 * Turns of a dialogue written into one message (many-shot priming), the role before a colon
 * (dialogue.ts walks the colons): at the start of a line, or in JSON (`"user": "…"`).
 */
export const LINE_ROLES = new Set([
  'user',
  'human',
  'q',
  'input',
  'me',
  'customer',
  'assistant',
  'ai',
  'a',
  'bot',
  'chatbot',
  'model',
  'output',
  'gpt',
  'chatgpt',
  'response',
]);
export const JSON_ROLES = new Set(['user', 'assistant', 'human', 'ai']);
/** The roles of the model's side. */
export const MODEL_ROLES = new Set([
  'assistant',
  'ai',
  'a',
  'bot',
  'chatbot',
  'model',
  'output',
  'gpt',
  'chatgpt',
  'response',
]);
/** A model turn left open at the very end (empty, or a lead-in ending with a colon). */
export const OPEN_TURN =
  /(?:(?:^|\n)[ \t>]*(?:assistant|ai|a|bot|model|output|gpt|chatgpt|response)[ \t]*:(?:[^\n]{0,40}:)?[ \t]*["']?|"(?:assistant|ai)"\s*:\s*"?)\s*$/i;
/** A model turn that complies eagerly. */
export const COMPLIANT =
  /(?:(?:^|\n)[ \t>]*(?:assistant|ai|a|bot|model|output)[ \t]*:|"(?:assistant|ai)"\s*:)[ \t]*["']?(?:sure|of course|certainly|absolutely|here you go|here is|here's|easy|no problem|happy to)\b/gi;
/**
 * Turns run together on one line after the end of a sentence (`… [...] Human: …`): only the
 * unambiguous role names (not `Q`, `A`, `input`, `output`, which prose uses before a colon).
 */
export const INLINE_ROLES = new Set([
  'user',
  'human',
  'assistant',
  'ai',
  'bot',
  'chatbot',
  'gpt',
  'chatgpt',
]);
/** What ends a sentence before an inline turn. */
export const INLINE_TURN_AFTER = '.!?]):"\'\u201d';
/** An eager reply right after an inline model turn's colon (sticky). */
export const INLINE_COMPLIANT =
  /[ \t]*["']?(?:sure|of course|certainly|absolutely|here you go|here is|here's|easy|no problem|happy to)\b/iy;
