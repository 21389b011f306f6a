/** Public API of @homeiq/backpressure-queue: filled in by its own issue. */
export {};
