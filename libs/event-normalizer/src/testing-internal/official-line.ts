/** The homeiq point of a normalized event built with the official client: the tests' reference layout. */
import { Point } from '@influxdata/influxdb-client';
import type { NormalizedEvent } from '../types.js';

/** The same point built with the official client: the reference for the homeiq layout. */
export function officialLine(event: NormalizedEvent, removed = '<removed>'): string | undefined {
  const p = new Point('home_assistant_events');
  const tag = (name: string, value: string | null): void => {
    if (value !== null) p.tag(name, value);
  };
  tag('area', event.areaName);
  tag('area_id', event.areaId);
  tag('device_class', event.deviceClass);
  tag('device_id', event.deviceId);
  tag('domain', event.domain);
  tag('entity_category', event.entityCategory);
  tag('entity_id', event.entityId);
  tag('platform', event.platform);
  tag('unit_of_measurement', event.unitOfMeasurement);
  p.stringField('attributes', JSON.stringify(event.attributes));
  p.stringField('context_id', event.context?.id);
  p.stringField('context_parent_id', event.context?.parentId);
  p.stringField('context_user_id', event.context?.userId);
  if (event.durationInPreviousStateSeconds !== null) {
    p.floatField('duration_in_state_seconds', event.durationInPreviousStateSeconds);
  }
  p.stringField('friendly_name', event.friendlyName);
  p.stringField('previous_state', event.previousState);
  p.stringField('state', event.state ?? removed);
  if (event.value !== null) p.floatField('value', event.value);
  p.timestamp(`${event.timeFiredUs}000`);
  return p.toLineProtocol();
}
