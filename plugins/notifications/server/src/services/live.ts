/**
 * Live alerts: staff members' open server-sent-event streams, by admin user. An in-app
 * notification is pushed to its recipient's streams only, on this instance. (Each instance
 * dispatches the rows it claims; a staff member connected to another instance sees the alert
 * on the next poll of their alert list.)
 */
import { PassThrough } from 'node:stream';

const HEARTBEAT_MS = 25_000;

export default () => {
  const streams = new Map<number, Set<PassThrough>>();
  return {
    open(userId: number): PassThrough {
      const stream = new PassThrough();
      const set = streams.get(userId) ?? new Set<PassThrough>();
      set.add(stream);
      streams.set(userId, set);
      stream.write(': connected\n\n');
      const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const close = () => {
        clearInterval(heartbeat);
        set.delete(stream);
        if (set.size === 0) streams.delete(userId);
      };
      stream.on('close', close);
      stream.on('error', close);
      return stream;
    },
    push(userId: number, alert: Record<string, unknown>): number {
      const set = streams.get(userId);
      for (const stream of set ?? []) stream.write(`event: alert\ndata: ${JSON.stringify(alert)}\n\n`);
      return set?.size ?? 0;
    },
    closeAll() {
      for (const set of streams.values()) for (const stream of set) stream.end();
      streams.clear();
    },
  };
};
