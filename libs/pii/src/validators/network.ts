/** Dotted-quad IPv4 with each octet 0-255 and no leading zeros. */
export function ipv4Valid(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || (p.length > 1 && p[0] === '0')) return false;
    if (!/^\d+$/.test(p) || Number(p) > 255) return false;
  }
  return true;
}

const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/**
 * IPv6 in full, compressed (`::`) or IPv4-suffixed form, without zone or brackets. Rejects
 * text that is technically valid but never an address in prose: no digit at all
 * (`dead::beef`), fewer than 4 hex digits (`a::b`), loopback and unspecified.
 */
export function ipv6Valid(value: string): boolean {
  if (value.length < 3 || value.length > 45) return false;
  let body = value;
  let groupsNeeded = 8;
  const lastColon = value.lastIndexOf(':');
  if (value.indexOf('.', lastColon) !== -1) {
    if (!ipv4Valid(value.slice(lastColon + 1))) return false;
    body = value.slice(0, lastColon + 1) + '0';
    groupsNeeded = 7;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string): string[] | null => {
    if (s === '') return [];
    const g = s.split(':');
    return g.every((x) => HEX_GROUP.test(x)) ? g : null;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !tail) return false;
  const count = head.length + tail.length;
  if (halves.length === 2 ? count >= groupsNeeded : count !== groupsNeeded) return false;
  if (!/\d/.test(body)) return false;
  const hexDigits = body.replace(/:/g, '').length;
  if (hexDigits < 4) return false;
  return value !== '::1' && value !== '::';
}

/** Six pairs of hex digits with one separator (`:` or `-`) used throughout, not all zero. */
export function macValid(value: string): boolean {
  if (value.length !== 17) return false;
  const sep = value[2];
  if (sep !== ':' && sep !== '-') return false;
  for (let i = 0; i < 17; i++) {
    const c = value.charCodeAt(i);
    if (i % 3 === 2) {
      if (value[i] !== sep) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) {
      return false;
    }
  }
  return value.replace(/[:-]/g, '') !== '000000000000';
}
