/**
 * Who is acting right now, read from the request that triggered the write. Writes outside a
 * request (seed, cron jobs) are the system's.
 */
export type ActorType = 'staff' | 'citizen' | 'system' | 'api_token';
export interface Actor {
  type: ActorType;
  userId?: number;
  label: string;
}

export function currentActor(): Actor {
  const ctx = strapi.requestContext.get() as any;
  if (!ctx) return { type: 'system', label: 'system' };
  const auth = ctx.state?.auth;
  const user = ctx.state?.user;
  if (auth?.strategy?.name === 'admin' && user?.id) {
    const name = [user.firstname, user.lastname].filter(Boolean).join(' ') || user.email;
    return { type: 'staff', userId: user.id, label: name };
  }
  if (auth?.strategy?.name === 'api-token') {
    return { type: 'api_token', label: `api-token:${auth.credentials?.name ?? auth.credentials?.id ?? 'unknown'}` };
  }
  return { type: 'citizen', label: 'citizen' };
}
