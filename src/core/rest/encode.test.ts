import { describe, expect, it } from 'vitest';
import { batchCommandString, decodePhpQuery, encodePhpQuery, parseBatchCommandString } from './encode.ts';

describe('PHP bracket encoding', () => {
  it('encodes nested objects and arrays like http_build_query', () => {
    expect(encodePhpQuery({ a: { b: ['x'] } })).toBe('a[b][0]=x');
    expect(encodePhpQuery({ fields: { TITLE: 'a&b=c', PHONE: [{ VALUE: 1 }] }, select: ['ID', 'NAME'] })).toBe(
      'fields[TITLE]=a%26b%3Dc&fields[PHONE][0][VALUE]=1&select[0]=ID&select[1]=NAME',
    );
  });

  it('writes booleans as 1/0, skips null/undefined, encodes dates and odd keys', () => {
    expect(encodePhpQuery({ a: true, b: false, c: null, d: undefined, e: 0 })).toBe('a=1&b=0&e=0');
    expect(encodePhpQuery({ at: new Date(Date.UTC(2026, 2, 4, 12)) })).toBe('at=2026-03-04T12%3A00%3A00.000Z');
    expect(encodePhpQuery({ 'a b': { 'c[d]': 'ü' } })).toBe('a%20b[c%5Bd%5D]=%C3%BC');
    expect(() => encodePhpQuery({ n: Number.NaN })).toThrow(RangeError);
    expect(() => encodePhpQuery({ f: () => 1 })).toThrow(TypeError);
  });

  it('builds batch command strings', () => {
    expect(batchCommandString({ method: 'im.dialog.read', params: { DIALOG_ID: 'chat12', MESSAGE_ID: 345 } })).toBe(
      'im.dialog.read?DIALOG_ID=chat12&MESSAGE_ID=345',
    );
    expect(batchCommandString({ method: 'im.counters.get' })).toBe('im.counters.get');
    expect(batchCommandString({ method: 'im.counters.get', params: {} })).toBe('im.counters.get');
  });

  it('decodes what it encodes (PHP style)', () => {
    const params = { fields: { TITLE: 'a&b=c ü', LIST: ['x', 'y'] }, ID: '5' };
    expect(decodePhpQuery(encodePhpQuery(params))).toEqual(params);
    expect(decodePhpQuery('select[]=ID&select[]=NAME&x=a+b')).toEqual({ select: ['ID', 'NAME'], x: 'a b' });
    expect(decodePhpQuery('bad=%E0%A4%A')).toEqual({ bad: '%E0%A4%A' });
    expect(parseBatchCommandString('im.dialog.read?DIALOG_ID=chat12&MESSAGE_ID=345')).toEqual({
      method: 'im.dialog.read',
      params: { DIALOG_ID: 'chat12', MESSAGE_ID: '345' },
    });
    expect(parseBatchCommandString('im.counters.get')).toEqual({ method: 'im.counters.get' });
  });
});
