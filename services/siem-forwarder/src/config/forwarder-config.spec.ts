import { ConfigError } from '@llmops/config';
import { loadForwarderConfig } from './forwarder-config';

function problems(vars: Record<string, string>): string {
  try {
    loadForwarderConfig(vars);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('forwarder config', () => {
  it('defaults to OCSF on Kafka and no other sink', () => {
    const c = loadForwarderConfig({});
    expect(c.SIEM_FORMATS).toEqual(['ocsf']);
    expect(c.SIEM_SYSLOG_URL).toBeUndefined();
    expect(c.SIEM_HEC_URL).toBeUndefined();
    expect(c.SIEM_KAFKA_GROUP_ID).toBe('llmops-siem-forwarder-kafka');
  });

  it('reads format lists, syslog URLs and HEC settings', () => {
    const c = loadForwarderConfig({
      SIEM_FORMATS: 'ocsf, CEF,ecs',
      SIEM_SYSLOG_URL: 'tls://[::1]:6514',
      SIEM_HEC_URL: 'https://splunk:8088',
      SIEM_HEC_TOKEN: 't',
      SIEM_HEC_ACK: 'true',
    });
    expect(c.SIEM_FORMATS).toEqual(['ocsf', 'cef', 'ecs']);
    expect(c.SIEM_SYSLOG_URL).toEqual({ protocol: 'tls', host: '::1', port: 6514 });
    expect(c.SIEM_HEC_ACK).toBe(true);
    expect(loadForwarderConfig({ SIEM_FORMATS: 'none' }).SIEM_FORMATS).toEqual([]);
  });

  it('names the variable, the problem and the expected format', () => {
    expect(problems({ SIEM_FORMATS: 'ocsf,leef' })).toMatch(
      /SIEM_FORMATS: unknown format leef; got "ocsf,leef" \(expected a comma-separated list/,
    );
    expect(problems({ SIEM_SYSLOG_URL: 'http://x:514' })).toMatch(
      /SIEM_SYSLOG_URL: is not a tcp:\/\/, tls:\/\/ or udp:\/\/host:port URL/,
    );
    expect(problems({ SIEM_HEC_URL: 'https://splunk:8088' })).toMatch(
      /SIEM_HEC_TOKEN: is required when SIEM_HEC_URL is set/,
    );
  });

  it('never prints the HEC token', () => {
    expect(problems({ SIEM_HEC_TOKEN: 'secret-token', SIEM_HEC_URL: 'ftp://x' })).not.toContain(
      'secret-token',
    );
  });
});
