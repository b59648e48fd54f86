// PHP request parsing and json_encode quirks the portal relies on.

import { describe, expect, it } from 'vitest';
import { phpJson, phpMap } from './php-json.ts';
import { parseJsonOrdered, parseMultipart, parseQueryString, phpInt, toPlain, type PhpArray } from './php-params.ts';

describe('request parameters', () => {
  it('parses PHP bracket syntax, keeping key order and decoding once', () => {
    const p = parseQueryString('halt=0&cmd[r_12]=im.dialog.read%3FDIALOG_ID%3Dchat12%26MESSAGE_ID%3D5&cmd[547]=x&a[]=1&a[]=2&b[c][d]=e+f');
    expect([...(p.get('cmd') as Map<string, unknown>).keys()]).toEqual(['r_12', '547']);
    expect(toPlain(p)).toEqual({
      halt: '0', cmd: { r_12: 'im.dialog.read?DIALOG_ID=chat12&MESSAGE_ID=5', 547: 'x' }, a: { 0: '1', 1: '2' }, b: { c: { d: 'e f' } },
    });
  });

  it('parses JSON with object key order preserved (numeric keys too)', () => {
    const v = parseJsonOrdered('{"cmd":{"r_1":"a","547":"b","0":"c"},"n":1.5,"t":true,"z":null,"l":[1,"x"]}') as PhpArray;
    expect([...(v.get('cmd') as PhpArray).keys()]).toEqual(['r_1', '547', '0']);
    expect(toPlain(v)).toMatchObject({ n: 1.5, t: true, z: null, l: [1, 'x'] });
    expect(() => parseJsonOrdered('{"a":')).toThrow(SyntaxError);
  });

  it('reads multipart text fields', () => {
    const body = Buffer.from('--XX\r\nContent-Disposition: form-data; name="DIALOG_ID"\r\n\r\nchat5\r\n--XX\r\nContent-Disposition: form-data; name="cmd[a]"\r\n\r\nim.revision.get\r\n--XX--\r\n');
    expect(toPlain(parseMultipart(body, 'multipart/form-data; boundary=XX'))).toEqual({ DIALOG_ID: 'chat5', cmd: { a: 'im.revision.get' } });
  });

  it('intval', () => {
    expect([phpInt('12abc'), phpInt('abc'), phpInt(' -3'), phpInt(4.7), phpInt(true), phpInt(undefined)]).toEqual([12, 0, -3, 4, 1, 0]);
  });
});

describe('json_encode', () => {
  it('empty maps are [], sequential maps are lists, others objects in insertion order', () => {
    expect(phpJson({ a: new Map(), b: phpMap([[0, 'x'], [1, 'y']]), c: phpMap([['r', 1], ['5', 2], ['1', 3]]) })).toBe(
      '{"a":[],"b":["x","y"],"c":{"r":1,"5":2,"1":3}}',
    );
    expect(phpJson({ u: undefined, n: Number.NaN, s: 'é"' })).toBe('{"n":null,"s":"é\\""}');
  });
});
