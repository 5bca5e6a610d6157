import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { frameOctetCounting } from '@llmops/siem';
import { SinkUnavailableError } from '../errors/sink-errors';

/** Sends RFC 5424 messages to one collector. */
export interface SyslogTransport {
  /** Resolves once every message was handed to the network, in order. */
  send(messages: Buffer[]): Promise<void>;
  close(): Promise<void>;
}

export interface StreamTransportOptions {
  host: string;
  port: number;
  /** Connect and write timeout. */
  timeoutMs: number;
  /** TLS (RFC 5425) when set; plain TCP otherwise. */
  tls?: tls.ConnectionOptions;
}

/**
 * Syslog over TCP (RFC 6587) or TLS (RFC 5425), octet-counting framing, one
 * long-lived connection re-opened on demand. A write resolves when the
 * kernel (or TLS layer) took the bytes; a write that stalls because the
 * collector stopped reading times out, so a slow collector pauses the
 * consumer instead of filling memory.
 */
export class StreamTransport implements SyslogTransport {
  private socket: net.Socket | undefined;

  constructor(private readonly opts: StreamTransportOptions) {}

  async send(messages: Buffer[]): Promise<void> {
    const socket = await this.connected();
    const bytes = Buffer.concat(messages.map((m) => frameOctetCounting(m)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.drop(socket);
        reject(this.unavailable(`write not accepted within ${this.opts.timeoutMs} ms`));
      }, this.opts.timeoutMs);
      socket.write(bytes, (err) => {
        clearTimeout(timer);
        if (err) {
          this.drop(socket);
          reject(this.unavailable(`write failed: ${err.message}`, err));
        } else resolve();
      });
    });
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve();
      }, this.opts.timeoutMs);
      socket.end(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private connected(): Promise<net.Socket> {
    const current = this.socket;
    if (current && !current.destroyed && current.writable) return Promise.resolve(current);
    const { host, port, timeoutMs } = this.opts;
    return new Promise<net.Socket>((resolve, reject) => {
      const socket = this.opts.tls
        ? tls.connect({ ...this.opts.tls, host, port })
        : net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(this.unavailable(`no connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onError = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(this.unavailable(`cannot connect to ${host}:${port}: ${err.message}`, err));
      };
      socket.once('error', onError);
      socket.once(this.opts.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.setKeepAlive(true, 30_000);
        socket.setNoDelay(true);
        // A collector that closes or fails makes the next send reconnect.
        socket.on('error', () => this.drop(socket));
        socket.on('end', () => this.drop(socket));
        socket.on('close', () => this.drop(socket));
        // Collectors do not talk back; drain anything they send so it cannot pile up.
        socket.resume();
        this.socket = socket;
        resolve(socket);
      });
    });
  }

  private drop(socket: net.Socket): void {
    socket.destroy();
    if (this.socket === socket) this.socket = undefined;
  }

  private unavailable(message: string, cause?: unknown): SinkUnavailableError {
    return new SinkUnavailableError('syslog', message, { cause });
  }
}

/**
 * Syslog over UDP (RFC 5426): one message per datagram, no framing, no
 * delivery guarantee beyond the local send. Message size is bounded by the
 * sink before it gets here (`SIEM_SYSLOG_UDP_MAX_BYTES`).
 */
export class UdpTransport implements SyslogTransport {
  private socket: dgram.Socket | undefined;
  private connecting: Promise<dgram.Socket> | undefined;

  constructor(private readonly opts: { host: string; port: number; timeoutMs: number }) {}

  async send(messages: Buffer[]): Promise<void> {
    const socket = await this.connected();
    for (const m of messages) {
      await new Promise<void>((resolve, reject) => {
        socket.send(m, (err) => {
          if (!err) return resolve();
          // ECONNREFUSED (ICMP port unreachable on a connected socket) and the like.
          this.drop();
          reject(
            new SinkUnavailableError('syslog', `UDP send failed: ${err.message}`, { cause: err }),
          );
        });
      });
    }
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((r) => socket.close(() => r()));
  }

  private connected(): Promise<dgram.Socket> {
    if (this.socket) return Promise.resolve(this.socket);
    this.connecting ??= new Promise<dgram.Socket>((resolve, reject) => {
      const socket = dgram.createSocket(net.isIPv6(this.opts.host) ? 'udp6' : 'udp4');
      const onError = (err: Error) => {
        socket.close();
        this.connecting = undefined;
        reject(
          new SinkUnavailableError('syslog', `UDP connect failed: ${err.message}`, { cause: err }),
        );
      };
      socket.once('error', onError);
      socket.connect(this.opts.port, this.opts.host, () => {
        socket.off('error', onError);
        socket.on('error', () => this.drop());
        this.socket = socket;
        this.connecting = undefined;
        resolve(socket);
      });
    });
    return this.connecting;
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
  }
}
