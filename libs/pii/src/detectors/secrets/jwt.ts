import { boundaryAfter, boundaryBefore, isAsciiAlnum } from '../../core/chars';
import { rewind, type Detector } from '../detector';

// Header and payload are base64url JSON objects, so both start with `eyJ` (`{"`). The header
// is at most MAX_HEADER characters here, as in the regex below.
const HEAD = /eyJ/g;
const JWT = /eyJ[A-Za-z0-9_-]{5,500}\.eyJ[A-Za-z0-9_-]{5,8000}\.[A-Za-z0-9_-]{0,1500}/y;
const MAX_HEADER = 503;

function isB64Url(c: number): boolean {
  return isAsciiAlnum(c) || c === 45 || c === 95;
}

function headerIsJose(segment: string): boolean {
  const decoded = Buffer.from(segment, 'base64url').toString('utf8');
  // Cheap shape check first: JSON.parse throwing on every near miss is the slow path.
  if (!decoded.startsWith('{"') || !decoded.endsWith('}')) return false;
  try {
    const json: unknown = JSON.parse(decoded);
    return typeof json === 'object' && json !== null && ('alg' in json || 'typ' in json);
  } catch {
    return false;
  }
}

/** JSON Web Tokens: three base64url segments whose header decodes to a JOSE header. */
export const jwtDetector: Detector = {
  name: 'secrets.jwt',
  types: ['JWT'],
  patterns: [HEAD, JWT],
  detect(text, out) {
    const head = rewind(HEAD);
    let runEnd = -1;
    let m: RegExpExecArray | null;
    while ((m = head.exec(text)) !== null) {
      const at = m.index;
      // The base64url run the header lives in is walked once; every `eyJ` inside it shares the
      // answer. No `.` after the run: no token starts in it. A `.` too far away: only starts
      // within MAX_HEADER of it can match. So `eyJeyJeyJ...` stays one pass.
      if (at >= runEnd) {
        runEnd = at + 3;
        while (runEnd < text.length && isB64Url(text.charCodeAt(runEnd))) runEnd++;
      }
      if (text.charCodeAt(runEnd) !== 46) {
        head.lastIndex = runEnd;
        continue;
      }
      if (runEnd - at > MAX_HEADER) {
        head.lastIndex = runEnd - MAX_HEADER;
        continue;
      }
      const jwt = rewind(JWT, at).exec(text);
      if (!jwt) continue;
      const end = at + jwt[0].length;
      if (!boundaryBefore(text, at) || !boundaryAfter(text, end)) continue;
      if (!headerIsJose(jwt[0].slice(0, jwt[0].indexOf('.')))) continue;
      out.push({ type: 'JWT', start: at, end, score: 0.95, rule: 'secret.jwt' });
      head.lastIndex = end;
    }
  },
};
