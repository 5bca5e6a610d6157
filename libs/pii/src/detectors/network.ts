import { isHex, isWordChar } from '../core/chars';
import { scoreWithContext, type ContextSpec } from '../core/context';
import { ipv6Valid, macValid } from '../validators/network';
import { rewind, type Detector } from './detector';
import type { Finding } from '../types';

// One pass, led by `:` or `-`: a colon core (`:db8:`, `::`, `:1a:`) of an IPv6 or MAC address,
// expanded by hand around it, or the dashed tail of a MAC (`-1a-2b-3c-4d-5e`), whose first
// pair is checked by hand.
const CORE =
  /:[0-9A-Fa-f]{0,4}:|-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}/g;
const MAX_ADDR = 45;

const IP_CONTEXT: ContextSpec = {
  words: ['ip', 'ipv6', 'address', 'addr', 'host', 'server', 'client', 'from', 'src', 'dst'],
  boost: 0.15,
};
const MAC_CONTEXT: ContextSpec = {
  words: ['mac', 'hwaddr', 'ether', 'ethernet', 'bssid', 'wifi', 'device', 'nic', 'hardware'],
  boost: 0.15,
};

function isAddrChar(c: number): boolean {
  return isHex(c) || c === 58 || c === 46;
}

function pushColonForm(text: string, start: number, end: number, out: Finding[]): void {
  let e = end;
  while (
    e > start &&
    (text.charCodeAt(e - 1) === 46 ||
      (text.charCodeAt(e - 1) === 58 && text.charCodeAt(e - 2) !== 58))
  )
    e--;
  const value = text.slice(start, e);
  if (macValid(value)) {
    out.push({
      type: 'MAC_ADDRESS',
      start,
      end: e,
      score: scoreWithContext(text, start, e, 0.8, MAC_CONTEXT),
      rule: 'mac.colon',
    });
  } else if (ipv6Valid(value)) {
    out.push({
      type: 'IP_ADDRESS',
      start,
      end: e,
      score: scoreWithContext(text, start, e, 0.8, IP_CONTEXT),
      rule: 'ip.v6',
    });
  }
}

/** IPv6 (full, compressed, IPv4-suffixed) and MAC addresses in `:` or `-` notation. */
export const networkDetector: Detector = {
  name: 'network',
  types: ['IP_ADDRESS', 'MAC_ADDRESS'],
  patterns: [CORE],
  detect(text, out) {
    const core = rewind(CORE);
    let m: RegExpExecArray | null;
    while ((m = core.exec(text)) !== null) {
      if (m[0].charCodeAt(0) === 45) {
        dashMac(text, m.index, m.index + m[0].length, out);
        continue;
      }
      let start = m.index;
      const floor = Math.max(0, m.index - MAX_ADDR);
      while (start > floor && isAddrChar(text.charCodeAt(start - 1))) start--;
      let end = m.index + m[0].length;
      const ceil = Math.min(text.length, start + MAX_ADDR + 1);
      while (end < ceil && isAddrChar(text.charCodeAt(end))) end++;
      core.lastIndex = end;
      const glued =
        (start > 0 &&
          (isWordChar(text.charCodeAt(start - 1)) || isAddrChar(text.charCodeAt(start - 1)))) ||
        (end < text.length &&
          (isWordChar(text.charCodeAt(end)) || isAddrChar(text.charCodeAt(end))));
      if (!glued && end - start <= MAX_ADDR) pushColonForm(text, start, end, out);
    }
  },
};

function dashMac(text: string, tail: number, end: number, out: Finding[]): void {
  const start = tail - 2;
  if (start < 0 || !isHex(text.charCodeAt(start)) || !isHex(text.charCodeAt(start + 1))) return;
  const glued =
    (start > 0 && /[\w-]/.test(text.charAt(start - 1))) ||
    (end < text.length && /[\w-]/.test(text.charAt(end)));
  if (glued || !macValid(text.slice(start, end))) return;
  out.push({
    type: 'MAC_ADDRESS',
    start,
    end,
    score: scoreWithContext(text, start, end, 0.8, MAC_CONTEXT),
    rule: 'mac.dash',
  });
}
