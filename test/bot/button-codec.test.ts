import { decodeButton, encodeButton } from '../../bot/button-codec.js';

test('a button payload survives the round trip through COMMAND_PARAMS', () => {
  for (const p of [{ action: 'dept', ticket: 1042, arg: '15' }, { action: 'spam', ticket: 7 }, { action: 'bill', ticket: 1042, arg: 'n' }] as const) {
    expect(decodeButton(encodeButton(p))).toEqual(p);
  }
  expect(encodeButton({ action: 'emp', ticket: 1042, arg: '77' })).toBe('emp 1042 77');
});

test.each(['', 'dept', 'dept abc', 'drop 1042', 'dept 1042 15 extra', 'emp 1042 <script>'])('%j is refused', (params) => {
  expect(decodeButton(params)).toBeNull();
});
