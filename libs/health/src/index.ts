/** Public API of @homeiq/health: filled in by its own issue. */
export {};
