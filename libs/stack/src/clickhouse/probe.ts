import { notReady, ready, type ProbeResult } from '../wait';

/** Ready when GET /ping answers "Ok." and `SELECT 1` returns 1. Returns the server's version. */
export async function probeClickHouse(
  httpPort: number,
  timeoutMs = 2_000,
): Promise<ProbeResult<string>> {
  const base = `http://127.0.0.1:${httpPort}`;
  const ping = await fetch(`${base}/ping`, { signal: AbortSignal.timeout(timeoutMs) });
  const pong = (await ping.text()).trim();
  if (pong !== 'Ok.') return notReady(`/ping answered ${ping.status} "${pong.slice(0, 80)}"`);
  const query = await fetch(`${base}/`, {
    method: 'POST',
    body: 'SELECT 1, version()',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const [one, version] = (await query.text()).trim().split('\t');
  if (!query.ok || one !== '1')
    return notReady(`SELECT 1 answered ${query.status} "${String(one).slice(0, 80)}"`);
  return ready(version ?? 'unknown');
}
