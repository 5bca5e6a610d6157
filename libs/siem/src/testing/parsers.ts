// Test helper: strict reference parsers of CEF and RFC 5424, written from the
// specifications, used to check that no value can forge a field.

export interface ParsedCef {
  /** `CEF:0`, vendor, product, version, signature id, name, severity; unescaped. */
  header: string[];
  /** Every extension key with all its values (a forged key shows as a second value). */
  extension: Map<string, string[]>;
}

export function parseCef(line: string): ParsedCef {
  if (/[\r\n]/.test(line)) throw new Error('a CEF record is one line');
  const header: string[] = [];
  let cur = '';
  let i = 0;
  for (; i < line.length && header.length < 7; i++) {
    const c = line[i]!;
    if (c === '\\') {
      const next = line[i + 1];
      if (next !== '\\' && next !== '|') throw new Error(`bad header escape \\${next} at ${i}`);
      cur += next;
      i++;
    } else if (c === '|') {
      header.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  if (header.length < 7) throw new Error('a CEF header has 7 fields');
  return { header, extension: parseExtension(line.slice(i)) };
}

function parseExtension(ext: string): Map<string, string[]> {
  const pieces: string[] = [];
  let cur = '';
  for (let i = 0; i < ext.length; i++) {
    const c = ext[i]!;
    if (c === '\\') {
      cur += c + (ext[i + 1] ?? '');
      i++;
    } else if (c === '=') {
      pieces.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  pieces.push(cur);
  const out = new Map<string, string[]>();
  if (ext === '') return out;
  let key = pieces[0]!;
  for (let k = 1; k < pieces.length; k++) {
    const piece = pieces[k]!;
    const last = k === pieces.length - 1;
    const cut = last ? piece.length : piece.lastIndexOf(' ');
    if (!/^[A-Za-z0-9_]+$/.test(key)) throw new Error(`bad extension key ${JSON.stringify(key)}`);
    out.set(key, [...(out.get(key) ?? []), unescapeExtension(piece.slice(0, cut))]);
    key = piece.slice(cut + 1);
  }
  return out;
}

function unescapeExtension(v: string): string {
  return v.replace(/\\(.)/g, (_m, c: string) => {
    if (c === 'n') return '\n';
    if (c === 'r') return '\r';
    if (c === '\\' || c === '=') return c;
    throw new Error(`bad extension escape \\${c}`);
  });
}

export interface ParsedSyslog {
  pri: number;
  version: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: Array<{ id: string; params: Array<[string, string]> }>;
  msg: string | undefined;
}

const HEADER = /^<(\d{1,3})>([1-9]\d{0,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /;

export function parseRfc5424(message: string): ParsedSyslog {
  const m = HEADER.exec(message);
  if (!m) throw new Error('not an RFC 5424 header');
  let rest = message.slice(m[0].length);
  const structuredData: ParsedSyslog['structuredData'] = [];
  if (rest.startsWith('-')) {
    rest = rest.slice(1);
  } else {
    while (rest.startsWith('[')) {
      const id = /^\[([^ \]="]{1,32})/.exec(rest);
      if (!id) throw new Error('bad SD-ID');
      rest = rest.slice(id[0].length);
      const params: Array<[string, string]> = [];
      while (rest.startsWith(' ')) {
        const name = /^ ([^ \]="]{1,32})="/.exec(rest);
        if (!name) throw new Error('bad SD-PARAM');
        rest = rest.slice(name[0].length);
        let value = '';
        for (;;) {
          const c = rest[0];
          if (c === undefined) throw new Error('unterminated PARAM-VALUE');
          rest = rest.slice(1);
          if (c === '"') break;
          if (c === '\\' && (rest[0] === '"' || rest[0] === '\\' || rest[0] === ']')) {
            value += rest[0];
            rest = rest.slice(1);
          } else if (c === ']') {
            throw new Error('unescaped ] in PARAM-VALUE');
          } else {
            value += c;
          }
        }
        params.push([name[1]!, value]);
      }
      if (!rest.startsWith(']')) throw new Error('unterminated SD-ELEMENT');
      rest = rest.slice(1);
      structuredData.push({ id: id[1]!, params });
    }
  }
  let msg: string | undefined;
  if (rest.length > 0) {
    if (!rest.startsWith(' ')) throw new Error('no space before MSG');
    msg = rest.slice(1);
  }
  return {
    pri: Number(m[1]),
    version: Number(m[2]),
    timestamp: m[3]!,
    hostname: m[4]!,
    appName: m[5]!,
    procId: m[6]!,
    msgId: m[7]!,
    structuredData,
    msg,
  };
}
