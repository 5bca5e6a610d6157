import { pickDebianMirror } from './bookworm';

describe('pickDebianMirror', () => {
  it('takes the main archive from a deb822 sources file and skips the security archive', () => {
    const text = [
      'Types: deb',
      'URIs: http://deb.debian.org/debian-security',
      'Suites: trixie-security',
      '',
      'Types: deb',
      'URIs: http://mirror.example/debian/',
      'Suites: trixie trixie-updates',
    ].join('\n');
    expect(pickDebianMirror(text)).toBe('http://mirror.example/debian');
  });

  it('reads one-line sources with options', () => {
    expect(
      pickDebianMirror(
        'deb [arch=amd64 signed-by=/k.gpg] https://deb.debian.org/debian trixie main\n',
      ),
    ).toBe('https://deb.debian.org/debian');
  });

  it('returns undefined when no Debian archive is listed', () => {
    expect(
      pickDebianMirror('deb https://packages.cloud.google.com/apt cloud-sdk main'),
    ).toBeUndefined();
  });
});
