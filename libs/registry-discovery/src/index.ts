/** Public API of @homeiq/registry-discovery: filled in by its own issue. */
export {};
