import { cached, clearReferenceCache, referenceCacheStats } from './reference-cache';

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

beforeEach(() => clearReferenceCache());

it('loads a key once and answers later callers from memory', async () => {
  const load = jest.fn(async () => ({ name: 'Level 1' }));
  expect(await cached('k', load)).toEqual({ name: 'Level 1' });
  expect(await cached('k', load)).toEqual({ name: 'Level 1' });
  expect(load).toHaveBeenCalledTimes(1);
  expect(referenceCacheStats()).toMatchObject({ hits: expect.any(Number), size: 1 });
});

it('never makes a caller wait on another caller’s unfinished load', async () => {
  const gate = deferred<string>();
  const slow = cached('k', () => gate.promise);
  // The second caller (on SQLite, maybe the one holding the only connection) loads for itself.
  expect(await cached('k', async () => 'own load')).toBe('own load');
  gate.resolve('slow load');
  expect(await slow).toBe('slow load');
});

it('keeps nothing for a key that names no record, so unknown codes cannot fill the memory', async () => {
  const load = jest.fn(async () => null);
  expect(await cached('code:NOPE', load)).toBeNull();
  expect(await cached('code:NOPE', load)).toBeNull();
  expect(load).toHaveBeenCalledTimes(2);
  expect(referenceCacheStats().size).toBe(0);
});

it('reloads after a clear: an administrator’s change is seen at once', async () => {
  let value = 'old';
  const load = jest.fn(async () => value);
  expect(await cached('k', load)).toBe('old');
  value = 'new';
  clearReferenceCache();
  expect(await cached('k', load)).toBe('new');
});

it('does not keep a value whose load was under way when the data changed', async () => {
  const gate = deferred<string>();
  const first = cached('k', () => gate.promise);
  // A write lands while the old value is being read.
  clearReferenceCache();
  gate.resolve('read before the write');
  expect(await first).toBe('read before the write');
  expect(await cached('k', async () => 'read after the write')).toBe('read after the write');
});

it('expires entries, so a change made outside the query engine is seen within the time limit', async () => {
  const now = Date.now();
  let value = 'old';
  const load = async () => value;
  expect(await cached('k', load, now)).toBe('old');
  value = 'changed by plain SQL';
  expect(await cached('k', load, now + 1_000)).toBe('old');
  expect(await cached('k', load, now + 61_000)).toBe('changed by plain SQL');
});

it('keeps no failed load', async () => {
  await expect(cached('k', async () => Promise.reject(new Error('transaction aborted')))).rejects.toThrow('transaction aborted');
  expect(await cached('k', async () => 'later')).toBe('later');
});

it('freezes what it keeps, so no caller can change it for the others', async () => {
  const value = await cached('k', async () => ({ level: { name: 'Level 1', hours: [24] } }));
  expect(() => {
    (value as any).level.name = 'changed';
  }).toThrow(TypeError);
  expect(() => (value as any).level.hours.push(48)).toThrow(TypeError);
});
