import fc from 'fast-check';
import { DEFAULT_PAUSE_MS, parseImportArgs, parseTime } from './args.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');

describe('parseImportArgs', () => {
  it('reads a duration, globs comma-separated and repeated, and the defaults', () => {
    const parsed = parseImportArgs(
      ['--since', '7d', '--entities', 'sensor.*, light.k?', '--entities=switch.*'],
      NOW,
    );
    expect(parsed).toEqual({
      ok: true,
      args: {
        sinceUs: (NOW - 7 * 86_400_000) * 1000,
        untilUs: undefined,
        entityGlobs: ['sensor.*', 'light.k?', 'switch.*'],
        dryRun: false,
        pauseMs: DEFAULT_PAUSE_MS,
        sinceText: '7d',
        untilText: undefined,
        help: false,
      },
    });
  });

  it('reads ISO dates (UTC without an offset), --until, --dry-run and --pause-ms', () => {
    const parsed = parseImportArgs(
      ['--since=2026-11-01', '--until', '2026-11-02T06:30:00+01:00', '--dry-run', '--pause-ms', '0'],
      NOW,
    );
    expect(parsed.ok && parsed.args).toMatchObject({
      sinceUs: Date.parse('2026-11-01T00:00:00Z') * 1000,
      untilUs: Date.parse('2026-11-02T05:30:00Z') * 1000,
      dryRun: true,
      pauseMs: 0,
    });
    expect(parseTime('2026-11-01T08:00', NOW)).toBe(Date.parse('2026-11-01T08:00:00Z'));
    expect(parseTime('12h', NOW)).toBe(NOW - 12 * 3_600_000);
    expect(parseTime('30m', NOW)).toBe(NOW - 30 * 60_000);
  });

  it.each([
    [[], '--since is required'],
    [['--since'], '--since needs a value'],
    [['--since', '--dry-run'], '--since needs a value'],
    [['--since', 'yesterday'], '--since must be an ISO date/time'],
    [['--since', '7w'], '--since must be an ISO date/time'],
    [['--since', '1d', '--until', '2d'], '--since must be before --until'],
    [['--since', '2030-01-01'], '--since must be before --until'],
    [['--since', '1d', '--entities', 'a,,b'], '--entities has an empty glob'],
    [['--since', '1d', '--pause-ms', '-1'], '--pause-ms must be a whole number'],
    [['--since', '1d', '--pause-ms', '1e9'], '--pause-ms must be a whole number'],
    [['--since', '1d', '--frobnicate'], 'unknown argument "--frobnicate"'],
    [['--since', '1d', '--dry-run=yes'], 'unknown argument'],
  ])('refuses %j with a message', (argv, message) => {
    const parsed = parseImportArgs(argv, NOW);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });

  it('never throws, and answers any argument list with a request or a message', () => {
    const word = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        '--since',
        '--until',
        '--entities',
        '--pause-ms',
        '--dry-run',
        '--help',
        '7d',
        '2026-01-01',
      ),
      fc.stringMatching(/^\d{1,20}[dhmsw]?$/),
      fc.stringMatching(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:\d{2})?$/),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (argv) => {
        const parsed = parseImportArgs(argv, NOW);
        if (!parsed.ok) {
          expect(parsed.message.length).toBeGreaterThan(0);
          return;
        }
        if (parsed.args.help) return;
        expect(Number.isSafeInteger(parsed.args.sinceUs)).toBe(true);
        expect(parsed.args.sinceUs).toBeLessThan(parsed.args.untilUs ?? NOW * 1000);
        expect(parsed.args.pauseMs).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
