import { Socket } from 'node:net';
import { notReady, ready, type ProbeResult } from '../wait';

/** Sends PING over RESP; ready on "+PONG". A Redis that wants a password says so in the reason. */
export function probeRedis(port: number, timeoutMs = 1_000): Promise<ProbeResult<true>> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    const done = (result: ProbeResult<true>): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(notReady(`no answer to PING within ${timeoutMs} ms`)));
    socket.once('error', (err) => done(notReady(err.message)));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (!reply.includes('\r\n')) return;
      const line = reply.slice(0, reply.indexOf('\r\n'));
      done(line === '+PONG' ? ready(true) : notReady(`PING answered "${line.slice(0, 80)}"`));
    });
    socket.connect(port, '127.0.0.1', () => socket.write('*1\r\n$4\r\nPING\r\n'));
  });
}
