import { RegistryQueryError } from './query-error.js';
import { parseAreasQuery } from './areas.js';
import { parseDevicesQuery } from './devices.js';
import { parseEntitiesQuery } from './entities.js';

describe('query parameters', () => {
  it('reads the data-api parameter names (docs/decisions.md), ignoring empty filters as FastAPI did', () => {
    expect(
      parseDevicesQuery(new URLSearchParams('limit=5&manufacturer=IKEA&area_id=kitchen&model=&platform=zha')),
    ).toEqual({
      limit: 5,
      manufacturer: 'IKEA',
      areaId: 'kitchen',
      platform: 'zha',
    });
    expect(parseDevicesQuery(new URLSearchParams(''))).toEqual({ limit: 100 });
    expect(parseEntitiesQuery({ device_id: 'ABC', domain: 'light', limit: '10000' })).toEqual({
      limit: 10000,
      deviceId: 'ABC',
      domain: 'light',
    });
    expect(parseAreasQuery(new URLSearchParams('floor_id=ground'))).toEqual({ floorId: 'ground' });
    expect(parseAreasQuery({})).toEqual({});
  });

  it('rejects a bad limit with an error naming the parameter', () => {
    for (const limit of ['0', '1001', 'ten', '1.5', '']) {
      let error: unknown;
      try {
        parseDevicesQuery(new URLSearchParams({ limit }));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(RegistryQueryError);
      expect(error).toMatchObject({ code: 'ERR_INVALID_QUERY', param: 'limit' });
    }
    expect(() => parseEntitiesQuery({ limit: '10001' })).toThrow(
      'Expected `limit` to be an integer from 1 to 10000, got "10001"',
    );
  });
});
