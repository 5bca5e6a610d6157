import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readMessages, waitFor } from '@llmops/testing';
import { SinkUnavailableError, StreamTransport } from '../src';
import { ForwarderHarness, securityEvent } from './forwarder-harness';
import { Rsyslog, freePort, makeTestCa, type CollectedMessage } from './rsyslog';

function eventIdOf(m: CollectedMessage): string | undefined {
  return /eventId="([^"]+)"/.exec(m.sd)?.[1];
}

describe('siem-forwarder: syslog to a real rsyslog collector', () => {
  let h: ForwarderHarness;
  const collectors: Rsyslog[] = [];

  beforeEach(async () => {
    h = await new ForwarderHarness().setUp();
  });
  afterEach(async () => {
    await h.close();
    for (const c of collectors.splice(0)) {
      await c.stop();
      c.cleanUp();
    }
  });

  async function collector(tls?: Parameters<typeof makeTestCa>[0]) {
    const files = tls ? await makeTestCa(tls) : undefined;
    const c = new Rsyslog(await freePort(), files);
    collectors.push(c);
    return { c, files };
  }

  it('delivers RFC 5424 over TCP with octet counting; rsyslog parses APP-NAME, MSGID, SD and MSG', async () => {
    const { c } = await collector();
    await c.start();
    const events = Array.from({ length: 25 }, () => securityEvent());
    await h.produce(events);
    await h.start({
      SIEM_SYSLOG_URL: `tcp://127.0.0.1:${c.port}`,
      SIEM_SYSLOG_HOSTNAME: 'fwd-1',
    });

    const got = await waitFor(
      'rsyslog to write 25 messages',
      () => (c.messages().length >= 25 ? c.messages() : false),
      { timeoutMs: 30_000 },
    );
    expect(got.map(eventIdOf).sort()).toEqual(events.map((e) => e.event_id).sort());
    for (const m of got) {
      expect(m.app).toBe('llmops');
      expect(m.host).toBe('fwd-1');
      expect(m.msgid).toBe('guardrail_violation');
      expect(m.pri).toBe(String(10 * 8 + 3)); // facility 10, severity high → 3 (error)
      expect(m.sd).toContain('[llmops@32473 eventId="');
      expect(m.sd).toContain('tenantId="acme"');
      expect(m.sd).toContain('[origin software="llmops"');
      expect(m.msg).toMatch(/^CEF:0\|llmops\|llmops\|0\.1\.0\|guardrail_violation\|/);
      expect(m.msg).toContain(`externalId=${eventIdOf(m)}`);
    }
  });

  it('pauses only the syslog consumer while the collector is down and loses nothing', async () => {
    const { c } = await collector();
    const events = Array.from({ length: 10 }, () => securityEvent());
    await h.produce(events);
    await h.start({ SIEM_SYSLOG_URL: `tcp://127.0.0.1:${c.port}`, SIEM_SYSLOG_TIMEOUT_MS: '500' });

    // The Kafka sink's own group keeps flowing while the collector is unreachable.
    await readMessages(h.kafka, h.topics.siemOcsf, 10, 30_000);
    expect(c.messages()).toHaveLength(0);

    await c.start();
    const got = await waitFor(
      'rsyslog to receive what was held back',
      () => (c.messages().length >= 10 ? c.messages() : false),
      { timeoutMs: 45_000 },
    );
    expect(new Set(got.map(eventIdOf))).toEqual(new Set(events.map((e) => e.event_id)));
  });

  it('delivers over TLS (RFC 5425) to rsyslog’s gtls driver, verifying the collector with a test CA', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-ca-'));
    try {
      const { c, files } = await collector(dir);
      await c.start();
      const events = Array.from({ length: 5 }, () => securityEvent());
      await h.produce(events);
      await h.start({
        SIEM_SYSLOG_URL: `tls://127.0.0.1:${c.port}`,
        SIEM_SYSLOG_CA_FILE: files!.ca,
        SIEM_FORMATS: 'none',
      });
      const got = await waitFor(
        'rsyslog to write 5 messages received over TLS',
        () => (c.messages().length >= 5 ? c.messages() : false),
        { timeoutMs: 30_000 },
      );
      expect(got.map(eventIdOf).sort()).toEqual(events.map((e) => e.event_id).sort());
      expect(got.every((m) => m.msgid === 'guardrail_violation' && m.app === 'llmops')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats a collector whose certificate the configured CA did not sign as unavailable, not as poison', async () => {
    const dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-ca-'));
    const dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-ca-'));
    try {
      const { c } = await collector(dirA);
      await c.start();
      const other = await makeTestCa(dirB);
      const transport = new StreamTransport({
        host: '127.0.0.1',
        port: c.port,
        timeoutMs: 5_000,
        tls: { ca: fs.readFileSync(other.ca) },
      });
      const err = await transport
        .send([Buffer.from('<13>1 - - - - - - x')])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SinkUnavailableError);
      expect((err as SinkUnavailableError).retriable).toBe(true);
      expect((err as Error).message).toMatch(/certificate/i);
      await transport.close();
      expect(c.messages()).toHaveLength(0);
    } finally {
      fs.rmSync(dirA, { recursive: true, force: true });
      fs.rmSync(dirB, { recursive: true, force: true });
    }
  });
});
