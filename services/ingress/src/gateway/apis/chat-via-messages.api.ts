import { wantsUsage } from '../chat-completion';
import { chatToMessages, TRANSLATION_ANTHROPIC_VERSION } from '../translate/chat-to-messages';
import { MessagesToChatStream } from '../translate/messages-stream';
import { restoreMessagesEvent } from '../translate/messages-restore';
import { messageToCompletion, openAIErrorBody } from '../translate/messages-to-chat';
import { anthropicMessagesApi } from './anthropic-messages.api';
import type { GatewayApi, StreamAssembler } from './gateway-api';

/**
 * OpenAI Chat Completions (`chat`, the client's API) spoken to an Anthropic upstream: the
 * client's body (after the PII policy) goes to Messages translated, the answer, its stream and
 * its errors come back translated. The record reads the upstream's own answer, as a call from
 * an Anthropic client's would be read (its usage keeps cache reads and writes apart); what
 * describes the client's request (input, texts for the PII policy, errors) stays `chat`'s.
 */
export function chatViaMessages(chat: GatewayApi): GatewayApi {
  return {
    ...chat,
    upstreamPath: anthropicMessagesApi.upstreamPath,
    format: 'anthropic',
    translations: undefined,

    // The version the translation is written for, whatever the client sends.
    upstreamHeaders: () => ({ 'anthropic-version': TRANSLATION_ANTHROPIC_VERSION }),

    check(body) {
      chat.check(body);
      chatToMessages(body, typeof body.model === 'string' ? body.model : '');
    },

    upstreamBody: (body, model) => JSON.stringify(chatToMessages(body, model)),

    completion: (json) => anthropicMessagesApi.completion(json),

    clientJson: (json) => messageToCompletion(json, Math.floor(Date.now() / 1000)),

    clientError: openAIErrorBody,

    assembler(body): StreamAssembler {
      const record = anthropicMessagesApi.assembler(body);
      const chunks = new MessagesToChatStream(wantsUsage(body));
      return {
        add: (ev) => ({ forward: chunks.add(ev), token: record.add(ev).token }),
        outcome: () => record.outcome(),
        failure: () => chunks.failure(),
      };
    },

    rewriteStreamEvent: restoreMessagesEvent,

    isFinal: (ev) => anthropicMessagesApi.isFinal!(ev),
  };
}
