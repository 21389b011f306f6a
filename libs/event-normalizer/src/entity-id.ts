/**
 * HA's `valid_entity_id` (`homeassistant/core.py`):
 * `^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$`, and at most 255 characters
 * (`MAX_LENGTH_STATE_ENTITY_ID`). HA core refuses to set a state for any other id, so anything else did not
 * come from HA. Written as one character scan: this runs for every event.
 */
export const MAX_ENTITY_ID_LENGTH = 255;

/**
 * Returns the index of the `.` separating domain and object id, or -1 when `entityId` is not a valid HA
 * entity id.
 */
export function entityIdDot(entityId: string): number {
  const length = entityId.length;
  if (length < 3 || length > MAX_ENTITY_ID_LENGTH) return -1;
  let dot = -1;
  let previous = 0x2e; // as if preceded by '.', so a leading '_' is rejected like one after the dot
  for (let i = 0; i < length; i++) {
    const c = entityId.charCodeAt(i);
    if (c === 0x2e) {
      // One dot, not first, not last, not right after '_' (`(?<!_)\.`).
      if (dot !== -1 || i === 0 || i === length - 1 || previous === 0x5f) return -1;
      dot = i;
    } else if (c === 0x5f) {
      // No '_' at the start of either part, and no '__' anywhere.
      if (previous === 0x2e || previous === 0x5f) return -1;
    } else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) {
      return -1;
    }
    previous = c;
  }
  // The object id must not end with '_'.
  if (dot === -1 || previous === 0x5f) return -1;
  return dot;
}

/** Whether `entityId` is a valid HA entity id. */
export function isValidEntityId(entityId: string): boolean {
  return entityIdDot(entityId) !== -1;
}
