import { describe, expect, it } from 'vitest';
import { pythonStringRepr } from './python-repr';

// Each pair is [string, what CPython 3.11 prints for repr(string)], generated once with
// python3 and pasted here. Characters whose Unicode category changed between Python's
// and V8's Unicode versions are deliberately left out.
const CPYTHON: ReadonlyArray<readonly [string, string]> = [
  ["Saint-Pierre's Isle", '"Saint-Pierre\'s Isle"'],
  ['Age (years)', "'Age (years)'"],
  ['18 - 24', "'18 - 24'"],
  ['', "''"],
  ['plain', "'plain'"],
  ['both \' and "', "'both \\' and \"'"],
  ['only "double"', '\'only "double"\''],
  ["it's", '"it\'s"'],
  ["'", '"\'"'],
  ['"', "'\"'"],
  ['\'"', "'\\'\"'"],
  ['back\\slash', "'back\\\\slash'"],
  ["\\'", '"\\\\\'"'],
  ['new\nline', "'new\\nline'"],
  ['cr\rlf\n', "'cr\\rlf\\n'"],
  ['tab\there', "'tab\\there'"],
  ['nul\u0000end', "'nul\\x00end'"],
  ['del\u007f', "'del\\x7f'"],
  ['nbsp\u00a0x', "'nbsp\\xa0x'"],
  ['ls\u2028ps\u2029', "'ls\\u2028ps\\u2029'"],
  ['emoji \ud83d\ude00', "'emoji \ud83d\ude00'"],
  ['e\u0301 combining', "'e\u0301 combining'"],
  ['bell\u0007\u001b\u001f', "'bell\\x07\\x1b\\x1f'"],
  ['\u0080\u009f', "'\\x80\\x9f'"],
  ['soft\u00adhyphen', "'soft\\xadhyphen'"],
  ['zwsp\u200b', "'zwsp\\u200b'"],
  ['bom\ufeff', "'bom\\ufeff'"],
  ['ideo\u3000space', "'ideo\\u3000space'"],
  ['caf\u00e9', "'caf\u00e9'"],
  ['\u00ff\u0100', "'\u00ff\u0100'"],
  ['private\ue000', "'private\\ue000'"],
  ['\udb80\udc00', "'\\U000f0000'"],
  ['unassigned\u0378', "'unassigned\\u0378'"],
  ['noncharacter\uffff', "'noncharacter\\uffff'"],
  ['ok ~!@#$%^&*()_+-={}[]|:;<>,.?/`', "'ok ~!@#$%^&*()_+-={}[]|:;<>,.?/`'"],
  ['\u2000en quad', "'\\u2000en quad'"],
  ['\ud834\udd1e clef', "'\ud834\udd1e clef'"],
  ['\ud83c\udde9\ud83c\uddea flag', "'\ud83c\udde9\ud83c\uddea flag'"],
  ['lone\ud800x', "'lone\\ud800x'"],
  ['\udfff', "'\\udfff'"],
];

describe('pythonStringRepr', () => {
  it.each(CPYTHON)('repr(%j) is what CPython prints', (value, expected) => {
    expect(pythonStringRepr(value)).toBe(expected);
  });

  it('builds the SPEC example tuple key', () => {
    const key = `(${["Saint-Pierre's Isle", 'Age (years)', '18 - 24'].map(pythonStringRepr).join(', ')})`;
    expect(key).toBe(`("Saint-Pierre's Isle", 'Age (years)', '18 - 24')`);
  });

  it('copies long printable runs unchanged around escapes', () => {
    const run = 'x'.repeat(10_000);
    expect(pythonStringRepr(`${run}\n${run}`)).toBe(`'${run}\\n${run}'`);
  });
});
