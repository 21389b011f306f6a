/** Public API of @homeiq/ha-client: filled in by its own issue. */
export {};
