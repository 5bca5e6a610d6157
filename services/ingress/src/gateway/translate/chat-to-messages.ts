import { obj, str, type Json } from '../json-read';
import { translateMessages } from './chat-messages';
import { malformed, untranslatable } from './translate-errors';

/**
 * Anthropic requires `max_tokens`; OpenAI does not (the model then runs to its own limit).
 * Without one from the client the call asks for 4096: no Claude model has had a lower output
 * limit, so every one accepts it. A client that needs longer answers sets
 * `max_completion_tokens`.
 */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * The Anthropic API version the translation writes for (the one its API reference documents,
 * and the gateway's default): 2026-10-21 removed `temperature` and `top_p`, which this
 * translation carries over.
 */
export const TRANSLATION_ANTHROPIC_VERSION = '2023-06-01';

const nullish = (v: unknown) => v === undefined || v === null;
const empty = (v: unknown) => {
  const o = obj(v);
  return o !== undefined && Object.keys(o).length === 0;
};

/**
 * Chat Completions fields with no Anthropic counterpart. Each passes only with the value that
 * changes nothing (absent, null, or the API's default); any other value is refused, naming
 * why, rather than dropped.
 */
const REFUSED: Record<string, { passes: (v: unknown) => boolean; why: string }> = {
  n: { passes: (v) => v === 1, why: 'the Messages API answers one choice per call' },
  logprobs: { passes: (v) => v === false, why: 'the Messages API returns no log probabilities' },
  top_logprobs: { passes: () => false, why: 'the Messages API returns no log probabilities' },
  logit_bias: {
    passes: empty,
    why: 'Anthropic has no token biases',
  },
  frequency_penalty: { passes: (v) => v === 0, why: 'Anthropic has no frequency penalty' },
  presence_penalty: { passes: (v) => v === 0, why: 'Anthropic has no presence penalty' },
  seed: { passes: () => false, why: 'Anthropic has no seeded sampling' },
  audio: { passes: () => false, why: 'Claude answers in text only' },
  modalities: {
    passes: (v) => Array.isArray(v) && v.every((m) => m === 'text'),
    why: 'Claude answers in text only',
  },
  prediction: { passes: () => false, why: 'Anthropic has no predicted outputs' },
  functions: { passes: () => false, why: 'the deprecated functions are not translated; use tools' },
  function_call: {
    passes: () => false,
    why: 'the deprecated function_call is not translated; use tool_choice',
  },
  store: { passes: (v) => v === false, why: 'Anthropic does not store completions' },
  metadata: {
    passes: empty,
    why: 'it labels stored completions, and Anthropic stores none',
  },
  verbosity: { passes: () => false, why: 'Anthropic has no verbosity setting' },
  web_search_options: {
    passes: () => false,
    why: 'Anthropic searches the web through a server tool, whose results Chat Completions has no place for',
  },
  prompt_cache_key: {
    passes: () => false,
    why: 'Anthropic caches prompts per marked block (cache_control), not by key',
  },
  prompt_cache_retention: {
    passes: () => false,
    why: 'Anthropic caches prompts per marked block (cache_control), not by retention policy',
  },
  prompt_cache_options: {
    passes: () => false,
    why: 'Anthropic caches prompts per marked block (cache_control)',
  },
  moderation: { passes: () => false, why: 'Anthropic has no moderation option' },
};

/** The fields the translation carries over (or reads: `stream_options`). */
const TRANSLATED = new Set([
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'stream',
  'stream_options',
  'user',
  'safety_identifier',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'reasoning_effort',
  'service_tier',
]);

/**
 * An OpenAI Chat Completions request body as an Anthropic Messages request for `model`.
 * Throws a 400 ApiError naming the field for anything that cannot be carried over faithfully:
 * a field without counterpart, a value out of Anthropic's range, or malformed input the
 * translation has to read (tool call arguments that are not JSON).
 */
export function chatToMessages(body: Json, model: string): Json {
  for (const [field, value] of Object.entries(body)) {
    if (nullish(value) || TRANSLATED.has(field)) continue;
    const refused = REFUSED[field];
    if (!refused)
      throw untranslatable(field, 'this field has no translation to the Anthropic Messages API');
    if (!refused.passes(value)) throw untranslatable(field, refused.why);
  }
  const { system, turns } = translateMessages(Array.isArray(body.messages) ? body.messages : []);
  const tools = translateTools(body.tools);
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  // safety_identifier is OpenAI's successor to user: either names the end user to Anthropic.
  const user = str(body.safety_identifier) ?? str(body.user);
  return {
    model,
    max_tokens: typeof maxTokens === 'number' ? maxTokens : DEFAULT_MAX_TOKENS,
    ...(system.length > 0 ? { system } : {}),
    messages: turns,
    ...(tools ? { tools } : {}),
    ...toolChoice(body, tools !== undefined),
    ...sampling(body),
    ...(user ? { metadata: { user_id: user } } : {}),
    ...outputConfig(body),
    ...serviceTier(body.service_tier),
    ...(body.stream === true ? { stream: true } : {}),
  };
}

function sampling(body: Json): Json {
  const out: Json = {};
  if (typeof body.temperature === 'number') {
    // OpenAI's range is 0-2, Anthropic's 0-1: the same number means the same below 1 only.
    if (body.temperature > 1)
      throw untranslatable('temperature', "Anthropic's temperature goes up to 1, not 2");
    out.temperature = body.temperature;
  }
  if (typeof body.top_p === 'number') out.top_p = body.top_p;
  if (typeof body.stop === 'string') out.stop_sequences = [body.stop];
  else if (Array.isArray(body.stop)) {
    if (!body.stop.every((s) => typeof s === 'string'))
      throw malformed('stop', 'must be a string or a list of strings');
    out.stop_sequences = body.stop;
  }
  return out;
}

/** Function tools as Anthropic tools; OpenAI's custom (free-text input) tools have none. */
function translateTools(tools: unknown): Json[] | undefined {
  if (nullish(tools)) return undefined;
  if (!Array.isArray(tools)) throw malformed('tools', 'must be a list of tools');
  return tools.map((t, i) => {
    const tool = obj(t) ?? {};
    if (tool.type !== 'function')
      throw untranslatable(
        `tools[${i}].type`,
        'Anthropic tools take JSON input: only function tools are translated',
      );
    const fn = obj(tool.function) ?? {};
    const name = str(fn.name);
    if (!name) throw malformed(`tools[${i}].function.name`, 'must be the function name');
    return {
      name,
      ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
      // A function without parameters takes none.
      input_schema: obj(fn.parameters) ?? { type: 'object', properties: {} },
      ...(fn.strict === true ? { strict: true } : {}),
    };
  });
}

/** `tool_choice` and `parallel_tool_calls: false` as Anthropic's `tool_choice`. */
function toolChoice(body: Json, hasTools: boolean): Json {
  const choice = body.tool_choice;
  let out: Json | undefined;
  if (choice === 'auto') out = { type: 'auto' };
  else if (choice === 'none') out = { type: 'none' };
  else if (choice === 'required') out = { type: 'any' };
  else if (obj(choice)?.type === 'function') {
    const name = str(obj(obj(choice)?.function)?.name);
    if (!name) throw malformed('tool_choice.function.name', 'must be the function name');
    out = { type: 'tool', name };
  } else if (!nullish(choice))
    throw untranslatable(
      'tool_choice',
      'only auto, none, required and a named function are translated',
    );
  if (body.parallel_tool_calls === false && hasTools && out?.type !== 'none')
    out = { ...(out ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return out ? { tool_choice: out } : {};
}

/** `response_format` json_schema and `reasoning_effort` as Anthropic's `output_config`. */
function outputConfig(body: Json): Json {
  const config: Json = {};
  const format = obj(body.response_format);
  if (format && format.type !== 'text') {
    if (format.type !== 'json_schema')
      throw untranslatable(
        'response_format',
        'Anthropic has no JSON mode without a schema; send a json_schema format',
      );
    const spec = obj(format.json_schema) ?? {};
    const schema = obj(spec.schema);
    if (!schema) throw malformed('response_format.json_schema.schema', 'must be a JSON schema');
    if (!nullish(spec.description))
      throw untranslatable(
        'response_format.json_schema.description',
        "Anthropic's output format takes a schema only; put the description in the schema",
      );
    config.format = { type: 'json_schema', schema };
  } else if (!nullish(body.response_format) && !format)
    throw malformed('response_format', 'must be an object');
  const effort = body.reasoning_effort;
  if (effort === 'low' || effort === 'medium' || effort === 'high' || effort === 'xhigh')
    config.effort = effort;
  else if (!nullish(effort))
    throw untranslatable(
      'reasoning_effort',
      "Anthropic's effort levels are low, medium, high and xhigh",
    );
  return Object.keys(config).length > 0 ? { output_config: config } : {};
}

/**
 * OpenAI's `auto` is the project's tier, as leaving it out is at Anthropic; `default` is
 * standard capacity. The other tiers (flex, scale, priority) are OpenAI's own.
 */
function serviceTier(tier: unknown): Json {
  if (nullish(tier) || tier === 'auto') return {};
  if (tier === 'default') return { service_tier: 'standard_only' };
  throw untranslatable('service_tier', `Anthropic has no ${JSON.stringify(tier)} tier`);
}
