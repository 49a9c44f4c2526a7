import { counted, days, seconds } from './plural';

it('puts the noun in the number the count asks for', () => {
  expect(seconds(1)).toBe('1 second');
  expect(seconds(0)).toBe('0 seconds');
  expect(seconds(30)).toBe('30 seconds');
  expect(days(1)).toBe('1 day');
  expect(days(14)).toBe('14 days');
  expect(counted(1, 'file', 'files')).toBe('1 file');
  expect(counted(5, 'file', 'files')).toBe('5 files');
});
