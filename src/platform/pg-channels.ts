/**
 * Messages between application instances on PostgreSQL's LISTEN/NOTIFY (docs/architecture.md,
 * "Several instances"): live alerts reach the instance that holds a staff member's stream, and
 * a change of reference data reaches every instance's cache.
 *
 * One dedicated connection per process listens on every channel asked for. A message sent
 * inside a transaction is delivered when it commits, and not at all if it rolls back. Messages
 * sent while the connection is lost are lost: after it reconnects each channel's `reconnected`
 * runs, so a cache can assume it missed something. On SQLite (one instance by definition)
 * nothing listens and `notify` does nothing.
 */
import { Client } from 'pg';
import { currentKnex } from './tables';

const RECONNECT_MS = 2_000;
const KEEPALIVE_MS = 10_000;

export interface ChannelHandler {
  message: (payload: string) => void;
  /** The listener came back after a loss: messages of the gap are gone. */
  reconnected?: () => void;
}

const handlers = new Map<string, ChannelHandler[]>();
let listener: Client | null = null;
let connecting: Promise<void> | null = null;
let retryTimer: NodeJS.Timeout | null = null;
let closed = false;
let lostOnce = false;
/** Channels the current listener connection has LISTENed on. */
const listenedOn = new Set<string>();

const shared = () => strapi.db.dialect.client === 'postgres';

/** Connects the listener unless a connection is up or under way (every path goes through here). */
function ensureConnected(): Promise<void> {
  if (listener || closed) return Promise.resolve();
  connecting ??= connect().finally(() => {
    connecting = null;
  });
  return connecting;
}

async function connect(): Promise<void> {
  // The pool's connection settings, so the listener reaches the same database (and TLS) as
  // queries; TCP keep-alive so a connection a firewall dropped silently is noticed.
  const client = new Client({ ...(strapi.db.connection as any).client.connectionSettings, keepAlive: true, keepAliveInitialDelayMillis: KEEPALIVE_MS });
  let lost = false;
  const retry = () => {
    // Once per client, and only for the current one: a late 'end' of a replaced client is not news.
    if (lost) return;
    lost = true;
    if (listener === client) listener = null;
    client.end().catch(() => undefined);
    lostOnce = true;
    if (!closed && !retryTimer) {
      retryTimer = setTimeout(() => {
        retryTimer = null;
        ensureConnected().catch((error) => strapi.log.warn(`Instance messages: cannot listen (${error?.message ?? error}); retrying.`));
      }, RECONNECT_MS);
      retryTimer.unref();
    }
  };
  client.on('error', retry);
  client.on('end', retry);
  client.on('notification', (message) => {
    for (const handler of handlers.get(message.channel) ?? []) {
      try {
        handler.message(message.payload ?? '');
      } catch (error: any) {
        strapi.log.warn(`Instance messages: ${message.channel}: ${error?.message ?? error}`);
      }
    }
  });
  try {
    await client.connect();
    listenedOn.clear();
    for (const channel of handlers.keys()) {
      await client.query(`LISTEN ${channel}`);
      listenedOn.add(channel);
    }
  } catch (error) {
    retry();
    throw error;
  }
  if (closed) {
    await client.end();
    return;
  }
  listener = client;
  if (lostOnce) for (const list of handlers.values()) for (const handler of list) handler.reconnected?.();
}

/** Listens on a channel (a plain identifier) on this instance from now on. */
export async function listen(channel: string, handler: ChannelHandler): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Not a channel name: ${channel}`);
  handlers.set(channel, [...(handlers.get(channel) ?? []), handler]);
  if (!shared()) return;
  closed = false;
  await ensureConnected();
  // A channel added while the connection was being made may have missed its LISTEN.
  if (listener && !listenedOn.has(channel)) {
    await listener.query(`LISTEN ${channel}`);
    listenedOn.add(channel);
  }
}

/** Sends a message to every instance (this one included), in the open transaction if there is one. */
export async function notify(channel: string, payload: string): Promise<void> {
  if (!shared()) return;
  const knex = await currentKnex();
  await knex.raw('SELECT pg_notify(?, ?)', [channel, payload]);
}

/** Stops listening (the app is shutting down). */
export async function closeChannels(): Promise<void> {
  closed = true;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  const client = listener;
  listener = null;
  handlers.clear();
  listenedOn.clear();
  lostOnce = false;
  if (client) {
    client.removeAllListeners('end');
    client.removeAllListeners('error');
    client.on('error', () => undefined);
    await client.end().catch(() => undefined);
  }
}
