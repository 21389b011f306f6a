import { HaInvalidArgumentError } from '../errors.js';
import { normalizeHaUrl, redactUrl } from './url.js';

describe('normalizeHaUrl', () => {
  it.each([
    ['http://ha.local:8123', 'ws://ha.local:8123/api/websocket'],
    ['https://ha.example.com', 'wss://ha.example.com/api/websocket'],
    ['https://ha.example.com/', 'wss://ha.example.com/api/websocket'],
    ['ws://10.0.0.2:8123/api/websocket', 'ws://10.0.0.2:8123/api/websocket'],
    ['wss://ha.example.com/api/websocket/', 'wss://ha.example.com/api/websocket'],
    ['http://proxy.lan/homeassistant', 'ws://proxy.lan/homeassistant/api/websocket'],
    ['  HTTP://HA.local:8123  ', 'ws://ha.local:8123/api/websocket'],
    ['http://[::1]:8123#frag', 'ws://[::1]:8123/api/websocket'],
    // An add-on reaches HA through the Supervisor's proxy, whose endpoint is `/core/websocket`.
    ['ws://supervisor/core/websocket', 'ws://supervisor/core/websocket'],
    ['http://supervisor/core', 'ws://supervisor/core/api/websocket'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeHaUrl(input)).toBe(expected);
  });

  it('rejects other schemes and non-URLs with a message naming the option', () => {
    expect(() => normalizeHaUrl('ftp://ha.local')).toThrow(
      'Expected `url` to use http, https, ws or wss, got `ftp:`',
    );
    expect(() => normalizeHaUrl('ha.local:8123')).toThrow(HaInvalidArgumentError);
    expect(() => normalizeHaUrl('not a url')).toThrow('Expected `url` to be an http(s):// or ws(s):// URL');
  });

  it('never echoes a long non-URL (a token pasted into the wrong setting)', () => {
    const secret = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.payload.signature';
    expect(() => normalizeHaUrl(secret)).toThrow(/eyJhbGciOiJI… \(\d+ chars\)/);
    try {
      normalizeHaUrl(secret);
    } catch (error) {
      expect(String(error)).not.toContain('payload.signature');
    }
  });

  it('redacts credentials in URLs', () => {
    expect(redactUrl('http://user:pw@ha.local/')).toBe('http://redacted@ha.local/');
    expect(redactUrl('http://ha.local/')).toBe('http://ha.local/');
  });
});
