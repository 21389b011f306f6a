import { parseCliArgs } from './cli-args.js';

describe('parseCliArgs', () => {
  it('has the documented defaults', () => {
    expect(parseCliArgs([])).toEqual({
      port: 8123,
      host: '127.0.0.1',
      token: 'ha-sim-token',
      entities: 200,
      devices: undefined,
      seed: 1,
      ratePerSecond: 10,
      haVersion: '2025.1.2',
      perMessageDeflate: true,
      help: false,
    });
  });

  it('parses every option', () => {
    const args = [
      '--entities',
      '500',
      '--devices',
      '90',
      '--rate',
      '50',
      '--port',
      '0',
      '--token',
      'T',
      '--seed',
      '3',
      '--ha-version',
      '2024.6.0',
      '--host',
      '0.0.0.0',
      '--no-deflate',
    ];
    expect(parseCliArgs(args)).toMatchObject({
      entities: 500,
      devices: 90,
      ratePerSecond: 50,
      port: 0,
      token: 'T',
      seed: 3,
      haVersion: '2024.6.0',
      host: '0.0.0.0',
      perMessageDeflate: false,
    });
  });

  it('rejects bad values and unknown options with clear messages', () => {
    expect(() => parseCliArgs(['--entities', 'many'])).toThrow(
      'Expected --entities to be an integer >= 0, got `many`',
    );
    expect(() => parseCliArgs(['--rate=-1'])).toThrow('Expected --rate to be a number >= 0, got `-1`');
    expect(() => parseCliArgs(['--bogus'])).toThrow("Unknown option '--bogus'");
  });
});
