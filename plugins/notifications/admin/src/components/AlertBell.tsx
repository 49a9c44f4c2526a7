/**
 * The bell in the main navigation with the number of unread alerts. It keeps a live stream of
 * server-sent events open (fetch with the admin token, reconnecting after errors) and re-reads
 * the count whenever an alert arrives, and every minute in case the stream was cut.
 */
import * as React from 'react';
import { Bell } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';

const POLL_MS = 60_000;
const RECONNECT_MS = 10_000;

/** The admin session token, where the admin panel keeps it. */
function adminToken(): string | null {
  const stored = window.localStorage.getItem('jwtToken');
  if (stored) return JSON.parse(stored);
  const cookie = document.cookie.split('; ').find((c) => c.startsWith('jwtToken='));
  return cookie ? decodeURIComponent(cookie.slice('jwtToken='.length)) : null;
}

export const UNREAD_EVENT = 'grm-alerts-changed';

export function AlertBell(props: React.SVGProps<SVGSVGElement>) {
  const { get } = useFetchClient();
  const [unread, setUnread] = React.useState(0);

  const refresh = React.useCallback(async () => {
    try {
      const res = await get('/notifications/alerts');
      setUnread(res.data.meta.unread);
    } catch {
      // Not signed in yet, or offline: the next poll tries again.
    }
  }, [get]);

  React.useEffect(() => {
    refresh();
    const poll = window.setInterval(refresh, POLL_MS);
    const onChange = () => refresh();
    window.addEventListener(UNREAD_EVENT, onChange);
    const controller = new AbortController();
    let retry: number | undefined;
    const connect = async () => {
      try {
        const token = adminToken();
        const res = await fetch(`${window.strapi.backendURL}/notifications/alerts/stream`, {
          headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          signal: controller.signal,
        });
        const reader = res.body?.getReader();
        const decoder = new TextDecoder();
        while (reader) {
          const { done, value } = await reader.read();
          if (done) break;
          if (decoder.decode(value).includes('event: alert')) refresh();
        }
      } catch {
        // Cut or refused: reconnect below.
      }
      if (!controller.signal.aborted) retry = window.setTimeout(connect, RECONNECT_MS);
    };
    connect();
    return () => {
      controller.abort();
      window.clearInterval(poll);
      window.clearTimeout(retry);
      window.removeEventListener(UNREAD_EVENT, onChange);
    };
  }, [refresh]);

  return (
    <span style={{ position: 'relative', display: 'inline-flex' }} data-testid="alert-bell">
      <Bell {...props} />
      {unread > 0 && (
        <span
          data-testid="alert-count"
          aria-label={`${unread} unread`}
          style={{ position: 'absolute', top: -6, right: -8, minWidth: 16, height: 16, padding: '0 4px', borderRadius: 8, background: '#d02b20', color: '#fff', fontSize: 10, lineHeight: '16px', textAlign: 'center', fontWeight: 700 }}
        >
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </span>
  );
}
