import { compareShapes, formatDifference, mergeShapes, shapeOf } from './shape.js';

const diff = (expected: unknown, actual: unknown, open: RegExp[] = []): string[] =>
  compareShapes(shapeOf(expected, open), shapeOf(actual, open)).map(formatDifference);

describe('message shapes', () => {
  it('accepts the same keys, types and nesting with other values', () => {
    expect(
      diff(
        { id: 1, type: 'result', success: true, result: [{ a: 'x', b: [1, 2], c: { d: null } }] },
        { id: 9, type: 'result', success: false, result: [{ a: 'y', b: [], c: { d: null } }] },
      ),
    ).toEqual([]);
  });

  it('reports a missing key, an extra key and a changed type, with their paths', () => {
    expect(diff({ result: [{ a: 'x', b: 1 }] }, { result: [{ a: 2, c: true }] })).toEqual([
      'result[].b: missing key',
      'result[].a: type (expected string, got number)',
      'result[].c: extra key',
    ]);
    expect(diff({ id: 1 }, [{ id: 1 }])).toEqual(['(message): type (expected object, got array)']);
  });

  it('merges array samples: keys missing from some are optional, differing types are a union', () => {
    const real = {
      result: [
        { area_id: null, name: 'a' },
        { area_id: 'kitchen', name: 'b', extra: 1 },
      ],
    };
    expect(diff(real, { result: [{ area_id: 'x', name: 'c' }] })).toEqual([]);
    expect(diff(real, { result: [{ area_id: null, name: 'c', extra: 2 }] })).toEqual([]);
    expect(diff(real, { result: [{ area_id: 3, name: 'c' }] })).toEqual([
      'result[].area_id: type (expected null|string, got number)',
    ]);
  });

  it('compares only "is an object" at open paths such as attributes', () => {
    const open = [/\.attributes$/];
    expect(
      diff(
        { result: [{ attributes: { unit: 'W' } }] },
        { result: [{ attributes: { friendly_name: 'x', n: 1 } }] },
        open,
      ),
    ).toEqual([]);
    expect(diff({ result: [{ attributes: {} }] }, { result: [{ attributes: [] }] }, open)).toEqual([
      'result[].attributes: type (expected map, got array)',
    ]);
  });

  it('says nothing about elements when either array is empty', () => {
    expect(diff({ labels: [] }, { labels: ['a'] })).toEqual([]);
    expect(diff({ labels: ['a'] }, { labels: [] })).toEqual([]);
    expect(diff({ labels: ['a'] }, { labels: [1] })).toEqual([
      'labels[]: type (expected string, got number)',
    ]);
  });

  it('merges unions of objects key by key', () => {
    const merged = mergeShapes(shapeOf({ a: 1 }), mergeShapes(shapeOf(null), shapeOf({ b: 's' })));
    expect(compareShapes(merged, shapeOf({ a: 2 })).map(formatDifference)).toEqual([]);
    expect(compareShapes(merged, shapeOf(null))).toEqual([]);
    expect(compareShapes(merged, shapeOf({ c: 1 })).map(formatDifference)).toEqual(['c: extra key']);
  });
});
