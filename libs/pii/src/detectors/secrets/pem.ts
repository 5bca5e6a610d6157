import { rewind, type Detector } from '../detector';

const BEGIN =
  /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 )?PRIVATE KEY(?: BLOCK)?)-----/y;
// A key body is at most a few KB; past this we stop looking for its END line.
const MAX_BODY = 64 * 1024;

function isBodyChar(c: number): boolean {
  // base64, whitespace, and the `\n` escapes of a key pasted inside a JSON string.
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 43 ||
    c === 47 ||
    c === 61 ||
    c === 92 ||
    c === 32 ||
    c === 10 ||
    c === 13 ||
    c === 9 ||
    c === 58 ||
    c === 45 ||
    c === 44
  );
}

/**
 * PEM private keys from the BEGIN line to the matching END line. A truncated key (no END
 * line) is covered up to the end of its base64 body.
 */
export const pemDetector: Detector = {
  name: 'secrets.pem',
  types: ['PRIVATE_KEY'],
  patterns: [BEGIN],
  detect(text, out, ctx) {
    // Next END line per label, cached so that many BEGIN lines do not rescan the same text.
    const footers = new Map<string, number>();
    let resume = 0;
    for (const cue of ctx.cues()) {
      if (cue.family !== 'pem' || cue.at < resume) continue;
      const m = rewind(BEGIN, cue.at).exec(text);
      if (!m) continue;
      const start = cue.at;
      const bodyStart = start + m[0].length;
      const footer = `-----END ${m[1] ?? ''}-----`;
      let at = footers.get(footer);
      if (at === undefined || (at !== -1 && at < bodyStart)) {
        at = text.indexOf(footer, bodyStart);
        footers.set(footer, at);
      }
      const limit = Math.min(text.length, bodyStart + MAX_BODY);
      const endAt = at !== -1 && at <= limit ? at - bodyStart : -1;
      let end: number;
      if (endAt !== -1) {
        end = bodyStart + endAt + footer.length;
      } else {
        end = bodyStart;
        while (end < limit && isBodyChar(text.charCodeAt(end))) end++;
        while (end > bodyStart && /[\s\\,]/.test(text.charAt(end - 1))) end--;
      }
      out.push({ type: 'PRIVATE_KEY', start, end, score: 1, rule: 'secret.pem-private-key' });
      resume = end;
    }
  },
};
