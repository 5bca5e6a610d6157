import { StringDecoder } from 'node:string_decoder';

/** One server-sent event: its raw text (without the blank line that ends it) and its data. */
export interface SseEvent {
  raw: string;
  /** The `event:` field, when present. */
  event: string | undefined;
  /** The `data:` lines joined with newlines (undefined for an event without data, e.g. a comment). */
  data: string | undefined;
}

/**
 * Splits a byte stream into server-sent events (WHATWG HTML, "Server-sent events": events end
 * at a blank line; lines end with CRLF, LF or CR). Bytes are decoded as UTF-8 across chunk
 * boundaries, so a character cut between two chunks is never mangled.
 */
export class SseSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';

  /** The events completed by `chunk`, in order. */
  push(chunk: Buffer): SseEvent[] {
    this.buffer += this.decoder.write(chunk);
    return this.drain();
  }

  /** Whatever is left when the stream ends: a last event without its blank line. */
  end(): SseEvent[] {
    this.buffer += this.decoder.end();
    const rest = this.buffer.trim() ? [parseEvent(this.buffer.replace(/(\r\n|\r|\n)+$/, ''))] : [];
    this.buffer = '';
    return rest;
  }

  private drain(): SseEvent[] {
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r\n\r\n|\n\n|\r\r/.exec(this.buffer);
      if (!m) return out;
      const raw = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      if (raw.length > 0) out.push(parseEvent(raw));
    }
  }
}

function parseEvent(raw: string): SseEvent {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of raw.split(/\r\n|\r|\n/)) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
  }
  return { raw, event, data: data.length > 0 ? data.join('\n') : undefined };
}
