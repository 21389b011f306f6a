/**
 * `str(value)` of an attribute as HA's influxdb integration sees it: the Python object the entity put in its
 * state, not the JSON the WebSocket carries. JSON loses four Python types; for the attributes HA core's entity
 * base classes build, the type is known and restored here (keyed by domain and attribute, so nothing else
 * changes):
 * - tuples: `components/light/__init__.py` (`state_attributes`) builds `hs_color`, `xy_color` (floats) and
 *   `rgb_color`, `rgbw_color`, `rgbww_color` (`tuple(int(x) …)`) as tuples: `(30.0, 100.0)`, `(255, 128, 0)`;
 * - enum members inside lists: light's `supported_color_modes` (`sorted()` of `ColorMode`) and climate's
 *   `hvac_modes` (`list[HVACMode]`); `str(list)` shows each member's repr, `<ColorMode.HS: 'hs'>`;
 * - datetimes: automation's and script's `last_triggered`, media_player's `media_position_updated_at`,
 *   schedule's `next_event` are `datetime` objects; JSON has `isoformat()` (`T`), `str()` has a space.
 * Residual cases (the type is the integration's choice, and the wire cannot tell): an integration that reports
 * an integer hue in `hs_color` (HA rounds what it gets, `round(345, 3)` stays `345`; demo's lights start so);
 * plain strings where these lists usually hold enums; these keys set by hand through `POST /api/states` (HA
 * keeps the JSON types then); whole floats anywhere else inside a list or dict (`[1.0, 2.5]` arrives as
 * `[1, 2.5]`: `JSON.parse` keeps no trace of the `.0`); sets, non-string dict keys, ints beyond 2^53.
 */
import { floatRepr, pythonRepr, pythonStr } from './python-str.js';

type ElementType = 'float' | 'int';

/** Light colour attributes: tuple element types (light `state_attributes`). */
const LIGHT_TUPLES: ReadonlyMap<string, ElementType> = new Map([
  ['hs_color', 'float'],
  ['xy_color', 'float'],
  ['rgb_color', 'int'],
  ['rgbw_color', 'int'],
  ['rgbww_color', 'int'],
]);

/** StrEnum classes whose members HA core puts in list attributes; member names are the values upper-cased. */
const COLOR_MODES = new Set([
  'unknown',
  'onoff',
  'brightness',
  'color_temp',
  'hs',
  'xy',
  'rgb',
  'rgbw',
  'rgbww',
  'white',
]);
const HVAC_MODES = new Set(['off', 'heat', 'cool', 'heat_cool', 'auto', 'dry', 'fan_only']);
/** By attribute key (looked up first: most attributes are none of these), the domain and the enum class. */
const ENUM_LISTS: ReadonlyMap<
  string,
  { readonly domain: string; readonly className: string; readonly values: ReadonlySet<string> }
> = new Map([
  ['supported_color_modes', { domain: 'light', className: 'ColorMode', values: COLOR_MODES }],
  ['hvac_modes', { domain: 'climate', className: 'HVACMode', values: HVAC_MODES }],
]);

/** By attribute key, the domains whose entities hold it as a `datetime`. */
const DATETIMES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['last_triggered', new Set(['automation', 'script'])],
  ['media_position_updated_at', new Set(['media_player'])],
  ['next_event', new Set(['schedule'])],
]);

/** `datetime.isoformat()` as orjson writes it: seconds, optional 6-digit microseconds, optional offset. */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{6})?(?:[+-]\d{2}:\d{2})?$/;

/**
 * Python `str()` of attribute `key` of an entity of `domain`, restoring the Python type HA core gives it
 * (above); `undefined` where `pythonStr` gives up (too deep, not JSON-like).
 */
export function haAttributeStr(domain: string, key: string, value: unknown): string | undefined {
  if (Array.isArray(value)) {
    if (domain === 'light') {
      const element = LIGHT_TUPLES.get(key);
      if (element !== undefined) return tupleStr(value, element);
    }
    const enumList = ENUM_LISTS.get(key);
    if (enumList?.domain === domain) return enumListStr(value, enumList.className, enumList.values);
  } else if (
    typeof value === 'string' &&
    DATETIMES.get(key)?.has(domain) === true &&
    ISO_DATETIME.test(value)
  ) {
    return value.slice(0, 10) + ' ' + value.slice(11);
  }
  return pythonStr(value);
}

function tupleStr(items: readonly unknown[], element: ElementType): string | undefined {
  const parts: string[] = [];
  for (const item of items) {
    const text =
      typeof item === 'number' && element === 'float'
        ? floatRepr(item)
        : typeof item === 'number' && Number.isSafeInteger(item)
          ? String(item)
          : pythonRepr(item, 1);
    if (text === undefined) return undefined;
    parts.push(text);
  }
  return parts.length === 1 ? `(${parts[0] ?? ''},)` : `(${parts.join(', ')})`;
}

function enumListStr(
  items: readonly unknown[],
  className: string,
  values: ReadonlySet<string>,
): string | undefined {
  const parts: string[] = [];
  for (const item of items) {
    const text =
      typeof item === 'string' && values.has(item)
        ? `<${className}.${item.toUpperCase()}: '${item}'>`
        : pythonRepr(item, 1);
    if (text === undefined) return undefined;
    parts.push(text);
  }
  return `[${parts.join(', ')}]`;
}
