// HA's `event` payload as it arrives on the wire (snake_case envelope: `event_type`, `time_fired`,
// `context.parent_id`) → the camelCase `HaEvent` that @homeiq/ha-client delivers and @homeiq/event-normalizer
// takes. The client does this once per frame, at the edge (libs/ha-client/src/protocol/event.ts, which also
// refuses a malformed envelope); the benches feed the simulator's frames, which are always well formed. `data`
// is HA's own and stays as sent.
export function toHaEvent(raw) {
  const { id, parent_id: parentId, user_id: userId } = raw.context;
  return {
    eventType: raw.event_type,
    data: raw.data,
    origin: raw.origin,
    timeFired: raw.time_fired,
    context: { id, parentId: parentId ?? null, userId: userId ?? null },
  };
}
