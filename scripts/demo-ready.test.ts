import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { localHost, parsePort, probeHost, waitUntilListening } from './demo-ready';

/** A free port on this machine, released again. */
async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('waiting for the demo server', () => {
  it('resolves only once the server listens and answers', async () => {
    const port = await freePort();
    const events: string[] = [];
    const ready = waitUntilListening({ url: `http://127.0.0.1:${port}/_health`, child: new EventEmitter(), intervalMs: 20 }).then(() => events.push('ready'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    events.push('listening');
    const server = http.createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await ready;
      expect(events).toEqual(['listening', 'ready']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gives up when the server process ends before it listens', async () => {
    const port = await freePort();
    const child = new EventEmitter();
    const waiting = waitUntilListening({ url: `http://127.0.0.1:${port}/_health`, child, intervalMs: 20 });
    setTimeout(() => child.emit('exit', 1), 50);
    await expect(waiting).rejects.toThrow(/stopped \(exit code 1\) before it listened/);
  });

  it('gives up after its time limit', async () => {
    const port = await freePort();
    await expect(waitUntilListening({ url: `http://127.0.0.1:${port}/_health`, child: new EventEmitter(), timeoutMs: 100, intervalMs: 20 })).rejects.toThrow(/did not answer/);
  });
});

describe('demo addresses', () => {
  it('prints localhost for a wildcard HOST and brackets an IPv6 address', () => {
    expect(['0.0.0.0', '::', '', undefined, '192.0.2.7', '::1'].map(localHost)).toEqual(['localhost', 'localhost', 'localhost', 'localhost', '192.0.2.7', '[::1]']);
  });
  it('asks the loopback address of a wildcard HOST', () => {
    expect(['0.0.0.0', '', undefined, '::', '192.0.2.7'].map(probeHost)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1', '[::1]', '192.0.2.7']);
  });
  it('reads PORT as a TCP port or refuses it', () => {
    expect(['1337', ' 8080 ', '65535', '0', '65536', 'http', '', undefined].map(parsePort)).toEqual([1337, 8080, 65535, null, null, null, null, null]);
  });
});
