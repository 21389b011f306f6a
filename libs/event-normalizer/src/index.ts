/** Public API of @homeiq/event-normalizer: filled in by its own issue. */
export {};
