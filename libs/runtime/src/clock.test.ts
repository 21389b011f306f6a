import { systemClock } from './clock.js';

describe('systemClock', () => {
  it('keeps the process alive for a timer by default, not for a background one', () => {
    const kept = systemClock.setTimeout(() => undefined, 1000) as NodeJS.Timeout;
    const background = systemClock.setTimeout(() => undefined, 1000, { keepAlive: false }) as NodeJS.Timeout;
    expect(kept.hasRef()).toBe(true);
    expect(background.hasRef()).toBe(false);
    systemClock.clearTimeout(kept);
    systemClock.clearTimeout(background);
  });

  it('clamps a delay no Node timer can hold instead of firing it after 1 ms', async () => {
    const fired = jest.fn();
    const timer = systemClock.setTimeout(fired, 2 ** 40);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).not.toHaveBeenCalled();
    systemClock.clearTimeout(timer);
  });
});
