import { parseDuration } from '../../bot/parse-duration.js';

test.each([
  ['1h20m', 80], ['1h 20m', 80], ['1:20', 80], ['80', 80], ['1,5 ч', 90], ['1.5h', 90], ['1 ч 20 мин', 80],
  ['1 час 20 минут', 80], ['2 часа', 120], ['45 мин', 45], ['10m', 10], ['15', 15], ['3h', 180], ['0:45', 45],
  ['  1H20M ', 80], ['2 hours', 120], ['1ч20м', 80],
])('%s is %i minutes', (input, minutes) => {
  expect(parseDuration(input)).toBe(minutes);
});

test.each(['', 'a while', '1h20', '20m 1h', '1h 1h', '1:75', '0', '-5', '1,5 мин', 'ч', '10000h', 'полтора часа', '1..5h'])(
  '%j is not read as a time', (input) => {
    expect(parseDuration(input)).toBeNull();
  });
