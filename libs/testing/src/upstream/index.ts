export type { CommonBehaviour, ReceivedRequest, ToolCallSpec } from './harness';
export { countWords } from './harness';
export { LOCAL_EMBEDDING_DIMENSIONS, LocalOpenAIUpstream, localEmbedding } from './openai-upstream';
export type { LocalOpenAIUpstreamOptions, OpenAIBehaviour } from './openai-upstream';
export { LOCAL_CREATED } from './openai-chat';
export { LocalAnthropicUpstream } from './anthropic-upstream';
export type { AnthropicBehaviour } from './anthropic-upstream';
