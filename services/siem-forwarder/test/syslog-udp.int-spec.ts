import * as dgram from 'node:dgram';
import { waitFor } from '@llmops/testing';
import { ForwarderHarness, securityEvent } from './forwarder-harness';

describe('siem-forwarder: syslog over UDP', () => {
  let h: ForwarderHarness;
  let collector: dgram.Socket;
  const datagrams: Buffer[] = [];

  beforeEach(async () => {
    h = await new ForwarderHarness().setUp();
    collector = dgram.createSocket('udp4');
    collector.on('message', (m) => datagrams.push(m));
    await new Promise<void>((r) => collector.bind(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    await h.close();
    await new Promise<void>((r) => collector.close(() => r()));
    datagrams.length = 0;
  });

  it('sends one message per datagram and cuts MSG, never the header or structured data, to the size limit', async () => {
    const small = securityEvent();
    const large = securityEvent({
      actor: { ...small.actor, user_agent: 'é'.repeat(1000) },
      target: { ...small.target, http_path: `/${'p'.repeat(1000)}` },
    });
    await h.produce([small, large]);
    const { port } = collector.address();
    await h.start({
      SIEM_FORMATS: 'none',
      SIEM_SYSLOG_URL: `udp://127.0.0.1:${port}`,
      SIEM_SYSLOG_UDP_MAX_BYTES: '1024',
    });

    await waitFor('2 datagrams', () => datagrams.length >= 2);
    const byId = new Map(
      datagrams.map((d) => [/eventId="([^"]+)"/.exec(d.toString('utf8'))?.[1], d] as const),
    );
    const whole = byId.get(small.event_id)!;
    const cut = byId.get(large.event_id)!;
    expect(whole.toString()).toMatch(/^<83>1 \S+ \S+ llmops - guardrail_violation \[llmops@32473 /);
    expect(whole.toString()).toMatch(/CEF:0\|.*externalId=/);
    expect(cut.length).toBeLessThanOrEqual(1024);
    expect(cut.length).toBeGreaterThan(1000);
    // Still valid UTF-8 (no character cut in half) with the structured data whole.
    expect(Buffer.from(cut.toString('utf8'), 'utf8').equals(cut)).toBe(true);
    expect(cut.toString()).toContain(`[llmops@32473 eventId="${large.event_id}"`);
    expect(cut.toString()).toContain('[origin software="llmops"');
  });
});
