// A local stand-in for api.openai.com that the official `openai` client talks
// to unchanged: chat completions, responses, embeddings and models, streamed
// or not, with scripted faults. Everything is deterministic:
//
//   answer text        "echo: " + the last user message's text (string
//                      content, or its text parts joined by spaces)
//   words(t)           whitespace-separated words of t
//   prompt_tokens      sum over messages of words(text) + 3
//                      (Responses: the same over input messages, plus
//                      words(instructions) + 3 when instructions are given)
//   completion_tokens  words(answer) per choice, times n; for tool calls, per
//                      call 1 + the number of 8-character argument pieces
//   cached_tokens      0, or `cachedTokens` of an `ok` behaviour
//   embeddings         `localEmbedding(text)`; usage words(input) per input
//
// The stream sends one delta per word (one per argument piece for tool
// calls), so completion tokens = deltas carrying text.
import { CommonBehaviour, countWords, Exchange, UpstreamHarness } from './harness';
import {
  chatCompletion,
  chatCompletionChunks,
  chatMessages,
  ChatPlan,
  echoOf,
  LOCAL_CREATED,
  promptTokensOf,
  toolCallTokens,
  contentText,
} from './openai-chat';
import { inputItems, inputTokensOf, responseEvents, responseObject } from './openai-responses';

/** How LocalOpenAIUpstream answers one request. */
export type OpenAIBehaviour =
  | { kind: 'ok'; cachedTokens?: number }
  /** A stream whose chunks all carry cumulative `usage`, as vLLM's continuous usage stats do. */
  | { kind: 'cumulative-usage' }
  /** An answer without any usage, streamed or not, as some local servers give. */
  | { kind: 'no-usage' }
  /** A model that leaks: it answers with its system prompt, word for word (chat completions). */
  | { kind: 'leak-system' }
  | CommonBehaviour;

export interface LocalOpenAIUpstreamOptions {
  /**
   * Models listed by GET /v1/models. When given, requests for other models get
   * OpenAI's 404 `model_not_found`; when not, any model is served.
   */
  models?: string[];
}

const DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-4.1', 'text-embedding-3-small'];

/** The default embedding dimension. */
export const LOCAL_EMBEDDING_DIMENSIONS = 8;

/**
 * The vector LocalOpenAIUpstream returns for a text: multiples of 1/1024 in
 * [-1, 1), exact in float32, so base64 and float answers compare with toEqual.
 */
export function localEmbedding(text: string, dimensions = LOCAL_EMBEDDING_DIMENSIONS): number[] {
  let hash = 17;
  for (const char of text) hash = (hash * 31 + char.codePointAt(0)!) % 1_000_003;
  return Array.from({ length: dimensions }, (_, j) => (((hash + 97 * j * j) % 2048) - 1024) / 1024);
}

function openAIError(
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
) {
  return { error: { message, type, param, code } };
}

/** Azure OpenAI's path of a deployment's API: `/openai/deployments/<deployment>/<api>`. */
const AZURE_ROUTE =
  /^\/openai\/deployments\/([^/?]+)\/(chat\/completions|embeddings|responses)(?:\?.*)?$/;

export class LocalOpenAIUpstream extends UpstreamHarness<OpenAIBehaviour> {
  private sequence = 0;

  private constructor(private readonly models: string[] | undefined) {
    super();
  }

  /** Starts listening on 127.0.0.1, on a free port. */
  static async start(opts: LocalOpenAIUpstreamOptions = {}): Promise<LocalOpenAIUpstream> {
    const upstream = new LocalOpenAIUpstream(opts.models);
    await upstream.listen();
    return upstream;
  }

  /** `http://127.0.0.1:<port>`, the endpoint of an Azure OpenAI resource (deployment routes). */
  get azureEndpoint(): string {
    return this.origin;
  }

  /** `http://127.0.0.1:<port>/v1`, the `baseURL` of an OpenAI client. */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  protected commonHeaders(): Record<string, string> {
    return { 'x-request-id': `req_local_${this.requests.length}` };
  }

  protected errorBody(status: number): unknown {
    if (status === 429) {
      return openAIError('Rate limit reached for requests', 'requests', 'rate_limit_exceeded');
    }
    if (status >= 500) {
      return openAIError(
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
        null,
      );
    }
    return openAIError(`Local upstream answered ${status}`, 'invalid_request_error', null);
  }

  protected refuse(exchange: Exchange<OpenAIBehaviour>): boolean {
    // Azure OpenAI's deployment routes take the key as `api-key` and need an `api-version`.
    if (AZURE_ROUTE.test(exchange.request.path)) {
      const key = exchange.request.headers['api-key'];
      if (!key) {
        exchange.json(
          401,
          openAIError(
            'Access denied due to missing subscription key.',
            'invalid_request_error',
            '401',
          ),
        );
        return true;
      }
      if (!/[?&]api-version=[^&]+/.test(exchange.request.path)) {
        exchange.json(404, openAIError('Resource not found', 'invalid_request_error', '404'));
        return true;
      }
      exchange.request.credential = key;
      return false;
    }
    const authorization = exchange.request.headers['authorization'];
    if (authorization === undefined) {
      exchange.json(
        401,
        openAIError(
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          'invalid_request_error',
          null,
        ),
      );
      return true;
    }
    const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
    if (token === undefined) {
      exchange.json(
        401,
        openAIError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'),
      );
      return true;
    }
    exchange.request.credential = token;
    return false;
  }

  protected notFound(exchange: Exchange<OpenAIBehaviour>): void {
    const { method, path } = exchange.request;
    exchange.json(
      404,
      openAIError(`Invalid URL (${method} ${path})`, 'invalid_request_error', null),
    );
  }

  protected handler(path: string, method: string) {
    // /openai/deployments/<name>/chat/completions: an Azure OpenAI deployment of the same APIs.
    const azure = AZURE_ROUTE.exec(path);
    const route = `${method} ${azure ? `/v1/${azure[2]}` : path}`;
    if (route === 'POST /v1/chat/completions')
      return (e: Exchange<OpenAIBehaviour>) => this.chat(e);
    if (route === 'POST /v1/responses') return (e: Exchange<OpenAIBehaviour>) => this.responses(e);
    if (route === 'POST /v1/embeddings')
      return (e: Exchange<OpenAIBehaviour>) => this.embeddings(e);
    if (route === 'GET /v1/models') return (e: Exchange<OpenAIBehaviour>) => this.listModels(e);
    return undefined;
  }

  /** Answers 400 for a body that is not a JSON object, 404 for an unknown model. */
  private checkBody(exchange: Exchange<OpenAIBehaviour>): { model: string } | undefined {
    const body = exchange.request.body as { model?: unknown } | undefined;
    if (typeof body !== 'object' || body === null) {
      exchange.json(
        400,
        openAIError(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
          'invalid_request_error',
          null,
        ),
      );
      return undefined;
    }
    if (typeof body.model !== 'string') {
      exchange.json(
        400,
        openAIError('you must provide a model parameter', 'invalid_request_error', null),
      );
      return undefined;
    }
    if (this.models && !this.models.includes(body.model)) {
      exchange.json(
        404,
        openAIError(
          `The model \`${body.model}\` does not exist or you do not have access to it.`,
          'invalid_request_error',
          'model_not_found',
        ),
      );
      return undefined;
    }
    return { model: body.model };
  }

  private chat(exchange: Exchange<OpenAIBehaviour>): void {
    const checked = this.checkBody(exchange);
    if (!checked) return;
    const body = exchange.request.body as {
      n?: unknown;
      stream?: unknown;
      stream_options?: { include_usage?: unknown } | null;
    };
    const messages = chatMessages(body);
    const { behaviour } = exchange;
    const calls = behaviour?.kind === 'tool-calls' ? behaviour.calls : [];
    const text =
      behaviour?.kind === 'tool-calls'
        ? undefined
        : behaviour?.kind === 'leak-system'
          ? messages
              .filter((m) => m.role === 'system')
              .map((m) => contentText(m.content))
              .join('\n')
          : echoOf(messages);
    const plan: ChatPlan = {
      id: `chatcmpl-local${++this.sequence}`,
      model: checked.model,
      text,
      calls,
      n: typeof body.n === 'number' && body.n > 1 ? body.n : 1,
      promptTokens: promptTokensOf(messages),
      completionTokens: text !== undefined ? countWords(text) : toolCallTokens(calls),
      cachedTokens: behaviour?.kind === 'ok' ? (behaviour.cachedTokens ?? 0) : 0,
      includeUsage: body.stream_options?.include_usage === true && behaviour?.kind !== 'no-usage',
      cumulativeUsage: behaviour?.kind === 'cumulative-usage',
      omitUsage: behaviour?.kind === 'no-usage',
    };
    if (body.stream === true) exchange.stream(chatCompletionChunks(plan));
    else exchange.json(200, chatCompletion(plan));
  }

  private responses(exchange: Exchange<OpenAIBehaviour>): void {
    const checked = this.checkBody(exchange);
    if (!checked) return;
    const body = exchange.request.body as { instructions?: unknown; stream?: unknown };
    const instructions = typeof body.instructions === 'string' ? body.instructions : null;
    const items = inputItems(body);
    const lastUser = [...items].reverse().find((item) => item.role === 'user');
    const { behaviour } = exchange;
    const plan = {
      id: `resp_local${++this.sequence}`,
      model: checked.model,
      instructions,
      text:
        behaviour?.kind === 'tool-calls'
          ? undefined
          : `echo: ${lastUser ? contentText(lastUser.content) : ''}`,
      calls: behaviour?.kind === 'tool-calls' ? behaviour.calls : [],
      inputTokens: inputTokensOf(instructions, items),
      cachedTokens: behaviour?.kind === 'ok' ? (behaviour.cachedTokens ?? 0) : 0,
    };
    if (body.stream === true) exchange.stream(responseEvents(plan));
    else exchange.json(200, responseObject(plan));
  }

  private embeddings(exchange: Exchange<OpenAIBehaviour>): void {
    const checked = this.checkBody(exchange);
    if (!checked) return;
    const body = exchange.request.body as {
      input?: unknown;
      encoding_format?: unknown;
      dimensions?: unknown;
    };
    const inputs = embeddingInputs(body.input);
    if (inputs === undefined) {
      exchange.json(
        400,
        openAIError("'input' is a required property", 'invalid_request_error', null, 'input'),
      );
      return;
    }
    const dimensions =
      typeof body.dimensions === 'number' ? body.dimensions : LOCAL_EMBEDDING_DIMENSIONS;
    const base64 = body.encoding_format === 'base64';
    const promptTokens = inputs.reduce((sum, input) => sum + countWords(input), 0);
    exchange.json(200, {
      object: 'list',
      data: inputs.map((input, index) => {
        const vector = localEmbedding(input, dimensions);
        return {
          object: 'embedding',
          index,
          embedding: base64 ? float32Base64(vector) : vector,
        };
      }),
      model: checked.model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    });
  }

  private listModels(exchange: Exchange<OpenAIBehaviour>): void {
    exchange.json(200, {
      object: 'list',
      data: (this.models ?? DEFAULT_MODELS).map((id) => ({
        id,
        object: 'model',
        created: LOCAL_CREATED,
        owned_by: 'system',
      })),
    });
  }
}

/** float32 little-endian bytes, base64: what OpenAI sends for `encoding_format: 'base64'`. */
function float32Base64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString('base64');
}

/** Inputs as texts: a string, strings, or token arrays (each token one word). */
function embeddingInputs(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((item) => typeof item === 'number')) return [input.join(' ')];
  return input.map((item: unknown) =>
    Array.isArray(item) ? item.join(' ') : typeof item === 'string' ? item : String(item),
  );
}
