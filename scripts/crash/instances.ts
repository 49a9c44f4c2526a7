/**
 * Application instances as child processes: the compiled app started on a free port, as a
 * process manager would start `npm start` on a machine. Used by the multi-instance suite and by
 * the crash driver (which kills one with SIGKILL and starts it again).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import path from 'node:path';

/** The repository root (this file runs from `scripts/crash` under ts-jest, or `dist/scripts/crash`). */
export const APP_ROOT = path.resolve(__dirname, ...(path.basename(path.resolve(__dirname, '..', '..')) === 'dist' ? ['..', '..', '..'] : ['..', '..']));

export interface Instance {
  name: string;
  url: string;
  port: number;
  env: Record<string, string>;
  child: ChildProcess;
  output: string[];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the compiled app (dist/) in its own process (what `strapi start` does, without the
 * admin panel build) and waits until `/_health` answers. A given port is reused (a restart).
 */
export async function startInstance(name: string, env: Record<string, string>, port?: number): Promise<Instance> {
  const listenOn = port ?? (await freePort());
  const boot = `require(${JSON.stringify(path.join(APP_ROOT, 'dist', 'scripts', 'strapi-app.js'))}).bootStrapi({ logLevel: 'warn' }).then((s) => s.start())`;
  const child = spawn(process.execPath, ['-e', boot], { cwd: APP_ROOT, env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(listenOn) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const url = `http://127.0.0.1:${listenOn}`;
  for (let i = 0; i < 600; i += 1) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`instance ${name} exited: ${output.join('')}`);
    const up = await fetch(`${url}/_health`).then((r) => r.status === 204, () => false);
    if (up) return { name, url, port: listenOn, env, child, output };
    await sleep(250);
  }
  child.kill('SIGKILL');
  throw new Error(`instance ${name} did not start: ${output.join('')}`);
}

/** A graceful stop (SIGTERM), forced after five seconds. */
export async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGTERM');
  const timer = setTimeout(() => instance.child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** `kill -9`: the process gets no chance to finish a request, a transaction or a send. */
export async function killInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGKILL');
  await exited;
}

/** Starts a killed or stopped instance again on the same port with the same environment. */
export async function restartInstance(instance: Instance): Promise<Instance> {
  await stopInstance(instance);
  return startInstance(instance.name, instance.env, instance.port);
}
