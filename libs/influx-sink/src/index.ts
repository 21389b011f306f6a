/** Public API of @homeiq/influx-sink: filled in by its own issue. */
export {};
