import { fromWire, wireJson } from '../../util/wire-text.js';

/**
 * Attributes the recorder never stores. Every domain: `attribution`, `restored`, `supported_features`
 * (HA core `components/recorder/const.py` ALL_DOMAIN_EXCLUDE_ATTRS). Per domain, what the entity classes mark
 * unrecorded (`_entity_component_unrecorded_attributes` / `_unrecorded_attributes` in
 * `components/<domain>/__init__.py`, `components/sun/entity.py`), for the domains the simulated home has
 * and HA's helpers. States set through the REST API carry no such marks: only the three go there.
 */
const ALL_DOMAINS = ['attribution', 'restored', 'supported_features'];

const BY_DOMAIN: Readonly<Record<string, readonly string[]>> = {
  light: [
    'supported_color_modes',
    'effect_list',
    'min_mireds',
    'max_mireds',
    'min_color_temp_kelvin',
    'max_color_temp_kelvin',
    'brightness',
    'color_mode',
    'color_temp',
    'color_temp_kelvin',
    'effect',
    'hs_color',
    'rgb_color',
    'rgbw_color',
    'rgbww_color',
    'xy_color',
  ],
  climate: [
    'hvac_modes',
    'fan_modes',
    'swing_modes',
    'min_temp',
    'max_temp',
    'min_humidity',
    'max_humidity',
    'target_temp_step',
    'preset_modes',
  ],
  sun: [
    'azimuth',
    'elevation',
    'rising',
    'next_dawn',
    'next_dusk',
    'next_midnight',
    'next_noon',
    'next_rising',
    'next_setting',
  ],
  sensor: ['options'],
  select: ['options'],
  person: ['device_trackers'],
  input_boolean: ['editable'],
  input_select: ['editable'],
  input_number: ['editable', 'max', 'min', 'mode', 'step'],
};

const EXCLUDED = new Map<string, ReadonlySet<string>>();

function excludedFor(domain: string): ReadonlySet<string> {
  let set = EXCLUDED.get(domain);
  if (set === undefined)
    EXCLUDED.set(domain, (set = new Set([...ALL_DOMAINS, ...(BY_DOMAIN[domain] ?? [])])));
  return set;
}

/**
 * Turns a state's attribute JSON (wire text) into what the recorder keeps, as wire text. Done when history
 * is read, not on every write, so that recording costs a stream of 200,000 events/s almost nothing; the last
 * few thousand answers are cached (most rows share their attributes).
 */
export class RecordedAttributes {
  readonly #cache = new Map<string, string>();

  json(domain: string, attributesJson: string): string {
    const key = domain + '\u0000' + attributesJson;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const excluded = excludedFor(domain);
    const attributes = Object.entries(JSON.parse(fromWire(attributesJson)) as Record<string, unknown>);
    const kept = attributes.filter(([name]) => !excluded.has(name));
    const json = kept.length === attributes.length ? attributesJson : wireJson(Object.fromEntries(kept));
    if (this.#cache.size >= 4096) this.#cache.clear();
    this.#cache.set(key, json);
    return json;
  }
}
