import { parseFrame, type InboundMessage } from './parse.js';

function parse(text: string): { messages: InboundMessage[]; invalid: string[] } {
  const messages: InboundMessage[] = [];
  const invalid: string[] = [];
  parseFrame(text, {
    message: (m) => messages.push(m),
    invalid: (reason) => invalid.push(reason),
  });
  return { messages, invalid };
}

describe('parseFrame', () => {
  it('reads the auth messages', () => {
    expect(parse('{"type":"auth_required","ha_version":"2025.1.2"}').messages).toEqual([
      { type: 'auth_required', haVersion: '2025.1.2' },
    ]);
    expect(parse('{"type":"auth_ok","ha_version":"2025.1.2"}').messages).toEqual([
      { type: 'auth_ok', haVersion: '2025.1.2' },
    ]);
    expect(parse('{"type":"auth_invalid","message":"Invalid access token or password"}').messages).toEqual([
      { type: 'auth_invalid', message: 'Invalid access token or password' },
    ]);
  });

  it("reads results, failed results (keeping HA's translation details), events with id last, and pong", () => {
    const { messages } = parse(
      '[{"id":5,"type":"result","success":true,"result":null},' +
        '{"id":6,"type":"result","success":false,"error":{"code":"not_found","message":"Subscription not found.","translation_key":"x"}},' +
        '{"type":"event","event":{"a":{}},"id":7},{"id":9,"type":"pong"}]',
    );
    expect(messages).toEqual([
      { type: 'result', id: 5, success: true, result: null },
      {
        type: 'result',
        id: 6,
        success: false,
        error: {
          code: 'not_found',
          message: 'Subscription not found.',
          translationKey: 'x',
          translationPlaceholders: undefined,
          translationDomain: undefined,
        },
      },
      { type: 'event', id: 7, event: { a: {} } },
      { type: 'pong', id: 9 },
    ]);
  });

  it('accepts byte-built results with stray spaces', () => {
    expect(parse('{"id":5,"type": "result","success":true,"result": [ {"a":1} ]}').messages).toEqual([
      { type: 'result', id: 5, success: true, result: [{ a: 1 }] },
    ]);
  });

  it('treats a failed result without an error object as unknown_error', () => {
    expect(parse('{"id":5,"type":"result","success":false}').messages).toEqual([
      { type: 'result', id: 5, success: false, error: { code: 'unknown_error', message: 'no error object' } },
    ]);
  });

  it('reports what it cannot use, by reason, and keeps the rest of an array', () => {
    expect(parse('{oops').invalid).toEqual(['invalid_json']);
    const mixed = parse(
      '[null, 3, {"type":"weird"}, {"type":"result","success":true}, {"id":"7","type":"pong"}, {"id":1,"type":"pong"}]',
    );
    expect(mixed.invalid).toEqual([
      'not_an_object',
      'not_an_object',
      'unknown_type',
      'missing_id',
      'missing_id',
    ]);
    expect(mixed.messages).toEqual([{ type: 'pong', id: 1 }]);
  });
});
