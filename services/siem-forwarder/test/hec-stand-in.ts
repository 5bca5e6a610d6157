// Test helper: an HTTP server standing in for Splunk's HTTP Event Collector.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HecRequest {
  path: string;
  authorization: string | undefined;
  channel: string | undefined;
  events: Array<{
    event: unknown;
    fields: Record<string, string>;
    sourcetype: string;
    time: number;
  }>;
}

/** Answers like HEC: 200 `{"text":"Success","code":0}`; `down` makes it answer 503 (code 9, server busy). */
export class HecStandIn {
  readonly requests: HecRequest[] = [];
  down = false;
  refused = 0;
  private nextAckId = 0;
  private readonly server: http.Server;
  url = '';

  constructor(
    private readonly token: string,
    private readonly opts: {
      ack?: boolean;
      ackAfterPolls?: number;
      /** Batches holding a line that matches get 400 code 6 (invalid data format). */
      reject?: (line: string) => boolean;
    } = {},
  ) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.answer(req, Buffer.concat(chunks).toString('utf8'), res));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Every event accepted while up, in arrival order. */
  accepted(): HecRequest['events'] {
    return this.requests
      .filter((r) => r.path === '/services/collector/event')
      .flatMap((r) => r.events);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  /** Acknowledgement polls per ackId. */
  readonly polls = new Map<number, number>();

  private answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.headers.authorization !== `Splunk ${this.token}`) {
      return send(401, { text: 'Invalid authorization', code: 3 });
    }
    if (this.down) {
      this.refused++;
      return send(503, { text: 'Server is busy', code: 9 });
    }
    const path = req.url ?? '';
    const channel = req.headers['x-splunk-request-channel'] as string | undefined;
    if (path === '/services/collector/ack') {
      const { acks } = JSON.parse(body) as { acks: number[] };
      return send(200, {
        acks: Object.fromEntries(
          acks.map((id) => {
            const n = (this.polls.get(id) ?? 0) + 1;
            this.polls.set(id, n);
            return [String(id), n > (this.opts.ackAfterPolls ?? 0)];
          }),
        ),
      });
    }
    if (path !== '/services/collector/event') return send(404, { text: 'not found', code: 404 });
    if (this.opts.reject && body.split('\n').some(this.opts.reject)) {
      return send(400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 0 });
    }
    const events = body
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as HecRequest['events'][number]);
    this.requests.push({ path, authorization: req.headers.authorization, channel, events });
    if (this.opts.ack) return send(200, { text: 'Success', code: 0, ackId: this.nextAckId++ });
    send(200, { text: 'Success', code: 0 });
  }
}
