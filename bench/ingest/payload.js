'use strict';
// The request bodies of the ingest benchmark: one realistic chat invocation
// (about 0.8 KB of JSON), sent alone or as a batch of 100. The bodies are
// serialised once; the ingress gives every event its own event_id and
// trace_id, so sending the same bytes again still makes new events.

function sampleEvent() {
  return {
    app_id: 'support-bot',
    user_id: 'user-4711',
    operation: 'chat',
    provider_name: 'openai',
    request_model: 'gpt-4o',
    response_model: 'gpt-4o-2024-08-06',
    start_time_ms: Date.now() - 1_000,
    duration_ms: 840,
    time_to_first_token_ms: 210,
    usage: { input_tokens: 412, output_tokens: 96 },
    finish_reasons: ['stop'],
    input_messages: [
      {
        role: 'system',
        content: 'You are the support assistant of an online shop. Answer briefly and politely.',
      },
      {
        role: 'user',
        content:
          'Please write to jane.doe@example.com that order 12345 ships on Monday, and call her on +44 20 7946 0958 if it is late.',
      },
    ],
    output_messages: [
      {
        role: 'assistant',
        content:
          'Done: I drafted the e-mail to Jane about order 12345 shipping on Monday and noted the phone number for a follow-up call.',
      },
    ],
    labels: { env: 'bench', team: 'support' },
  };
}

/** The two shapes of the benchmark: `events` per request and the JSON body. */
function payloads() {
  const one = sampleEvent();
  return {
    batch100: {
      events: 100,
      body: Buffer.from(JSON.stringify(Array.from({ length: 100 }, () => one))),
    },
    single: { events: 1, body: Buffer.from(JSON.stringify(one)) },
  };
}

module.exports = { sampleEvent, payloads };
