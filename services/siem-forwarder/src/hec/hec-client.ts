import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { SinkRejectedError, SinkUnavailableError } from '../errors/sink-errors';

export interface HecClientOptions {
  /** Base URL of the HEC endpoint, e.g. https://splunk:8088 */
  url: string;
  token: string;
  /** Wait for indexer acknowledgement of every batch. */
  ack: boolean;
  timeoutMs: number;
  ackTimeoutMs: number;
  ca?: Buffer;
}

interface HecResponse {
  status: number;
  body: { text?: string; code?: number; ackId?: number; acks?: Record<string, boolean> };
}

/** HEC status codes (Splunk docs, "Troubleshoot HTTP Event Collector") that blame the data. */
const DATA_ERROR_CODES = new Set([5, 6, 12, 13]);

/**
 * A minimal Splunk HTTP Event Collector client: batched
 * `/services/collector/event`, `Authorization: Splunk <token>`, optional
 * indexer acknowledgement on a channel of its own.
 */
export class HecClient {
  private readonly base: URL;
  private readonly agent: http.Agent;
  readonly channel = randomUUID();

  constructor(private readonly opts: HecClientOptions) {
    this.base = new URL(opts.url.replace(/\/+$/, '') + '/');
    const https_ = this.base.protocol === 'https:';
    this.agent = https_
      ? new https.Agent({ keepAlive: true, maxSockets: 4, ca: opts.ca })
      : new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  /**
   * Sends one batch (newline-separated JSON events); with acknowledgement on,
   * resolves only once the indexers acknowledged it.
   */
  async send(lines: string[]): Promise<void> {
    const res = await this.post('services/collector/event', lines.join('\n'));
    if (res.status === 200 && (res.body.code ?? 0) === 0) {
      if (this.opts.ack) await this.waitForAck(res.body.ackId);
      return;
    }
    throw this.failure(res, lines.length);
  }

  close(): void {
    this.agent.destroy();
  }

  private async waitForAck(ackId: number | undefined): Promise<void> {
    if (typeof ackId !== 'number') {
      throw new SinkUnavailableError(
        'hec',
        'indexer acknowledgement is on but HEC returned no ackId (is it enabled for the token?)',
      );
    }
    const deadline = Date.now() + this.opts.ackTimeoutMs;
    let delay = 50;
    for (;;) {
      const res = await this.post('services/collector/ack', JSON.stringify({ acks: [ackId] }));
      if (res.status !== 200) throw this.failure(res, 0);
      if (res.body.acks?.[String(ackId)] === true) return;
      if (Date.now() + delay > deadline) {
        throw new SinkUnavailableError(
          'hec',
          `batch ${ackId} not acknowledged by the indexers within ${this.opts.ackTimeoutMs} ms`,
        );
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(1_000, delay * 2);
    }
  }

  private failure(res: HecResponse, events: number): Error {
    const what = `HTTP ${res.status}${res.body.code !== undefined ? ` code ${res.body.code}` : ''}: ${res.body.text ?? ''}`;
    // 400 with a data error code, or 413: the batch itself is refused; the
    // runner isolates the record and, after its retries, dead-letters it.
    if ((res.status === 400 && DATA_ERROR_CODES.has(res.body.code ?? -1)) || res.status === 413) {
      return new SinkRejectedError('hec', `refused a batch of ${events} events (${what})`);
    }
    // 401/403 (token), 429, 5xx, channel errors: not the records' fault; pause and retry.
    return new SinkUnavailableError('hec', what);
  }

  private post(path: string, body: string): Promise<HecResponse> {
    const url = new URL(path, this.base);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<HecResponse>((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.opts.timeoutMs,
          headers: {
            authorization: `Splunk ${this.opts.token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-splunk-request-channel': this.channel,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) =>
            reject(
              new SinkUnavailableError('hec', `response failed: ${err.message}`, { cause: err }),
            ),
          );
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: HecResponse['body'] = {};
            try {
              parsed = JSON.parse(text) as HecResponse['body'];
            } catch {
              parsed = { text: text.slice(0, 200) };
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.opts.timeoutMs} ms`)));
      req.on('error', (err) =>
        reject(
          new SinkUnavailableError('hec', `${url.host} unreachable: ${err.message}`, {
            cause: err,
          }),
        ),
      );
      req.end(body);
    });
  }
}
