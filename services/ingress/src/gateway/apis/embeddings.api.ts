import { ApiError } from '../../http/api-error';
import { sendOpenAIError, openAIStreamError } from '../gateway-errors';
import { chatUsage } from '../chat-completion';
import { contentSlots, str, type GatewayApi, type InputMessage } from './gateway-api';

/** One input of an embeddings request as text; token arrays are named, not spelled out. */
function inputText(v: unknown): string {
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? `[${v.length} tokens]` : '';
}

/**
 * OpenAI Embeddings (`POST /v1/embeddings`). The vectors pass through untouched; the record
 * keeps the inputs (text sent to the provider, which the PII scanner reads) and the usage.
 */
export const embeddingsApi: GatewayApi = {
  path: '/v1/embeddings',
  upstreamPath: 'embeddings',
  operation: 'embeddings',
  format: 'openai',
  sendError: sendOpenAIError,
  streamError: openAIStreamError,
  what: 'an Embeddings request',

  check(body) {
    const input = body.input;
    if (typeof input !== 'string' && !(Array.isArray(input) && input.length > 0))
      throw new ApiError(
        400,
        'invalid_request',
        'input is required: a string or a non-empty array',
        [{ path: 'input', message: 'must be a string or a non-empty array' }],
      );
    if (body.stream === true)
      throw new ApiError(400, 'invalid_request', 'embeddings cannot be streamed; remove stream', [
        { path: 'stream', message: 'is not supported by embeddings' },
      ]);
  },

  upstreamBody: (body, model) => JSON.stringify({ ...body, model }),

  completion(json) {
    const o = (json ?? {}) as Record<string, unknown>;
    const usage = chatUsage(o.usage);
    return {
      responseId: null,
      responseModel: str(o.model),
      // Embeddings produce no tokens: prompt tokens are all there is.
      usage: usage && { ...usage, outputTokens: 0, reasoningTokens: 0 },
      choices: [],
    };
  },

  assembler() {
    throw new Error('embeddings are never streamed (check refuses stream)');
  },

  input(body) {
    const inputs =
      typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : [];
    // A list of token ids is one input; a list of strings or of token lists is several.
    const list = inputs.every((x) => typeof x === 'number') ? [inputs] : inputs;
    return {
      system: null,
      messages: list.map((x): InputMessage => ({
        role: 'user',
        content: inputText(x),
        name: null,
        tool_call_id: null,
      })),
    };
  },

  textSlots: (body) => contentSlots(body, 'input'),
};
