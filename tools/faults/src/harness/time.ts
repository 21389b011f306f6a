/** Resolves after `ms` milliseconds: scenario pacing on the wall clock, since these are real processes. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
