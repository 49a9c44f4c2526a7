/**
 * The public submission (`POST /api/grievances/submit`, docs/public-api.md) checked field by field
 * before anything is looked up or written. Pure: returns the normalised submission, or every
 * problem with its path, so a citizen's form can show each message beside its field.
 */
import { DomainError, ERROR_CODES, FieldError } from './errors';
import { Channel, SUPPORTED_LOCALES } from './vocabulary';

/** Channels a public client may claim; staff-only channels (walk-in, letter ...) are set by staff. */
export const PUBLIC_CHANNELS: Channel[] = ['web', 'mobile', 'sms', 'whatsapp', 'facebook', 'chat', 'email', 'phone', 'open311'];
export const DESCRIPTION_MAX = 10_000;
const CODE = /^[A-Z0-9][A-Z0-9_-]{0,59}$/i;
const PHONE = /^\+?[0-9][0-9 ()-]{5,24}$/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
const TOP_FIELDS = ['project', 'category', 'description', 'region', 'location', 'language', 'channel', 'anonymous', 'citizen', 'attachments'];
/** Files per complaint, uploaded first through `POST /api/grievances/attachments`. */
export const MAX_ATTACHMENTS = 5;
const ATTACHMENT_REF = /^\d{1,12}\.[a-f0-9]{32}$/;

export interface Submission {
  project: string;
  category: string;
  description: string;
  region: string | null;
  /** Coordinates, an address, or both. */
  location: { lat: number | null; lng: number | null; address: string | null } | null;
  language: string;
  channel: Channel;
  anonymous: boolean;
  citizen: { name: string | null; phone: string | null; email: string | null } | null;
  /** References returned by the attachment upload (`<file id>.<signature>`). */
  attachments: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseSubmission(body: unknown): Submission {
  const errors: FieldError[] = [];
  const add = (path: string[], message: string) => errors.push({ path, message });
  const data = isObject(body) ? body.data : undefined;
  if (!isObject(data)) throw new DomainError(ERROR_CODES.VALIDATION, 'Send the grievance as { "data": { ... } }.', [{ path: ['data'], message: 'Required.' }]);

  for (const key of Object.keys(data)) if (!TOP_FIELDS.includes(key)) add([key], `Unknown field "${key}".`);
  const text = (key: string, max: number, required: boolean): string | null => {
    const v = data[key];
    if (v == null || v === '') {
      if (required) add([key], 'Required.');
      return null;
    }
    if (typeof v !== 'string') return add([key], 'Must be text.'), null;
    if (v.length > max) return add([key], `At most ${max} characters.`), null;
    return v;
  };
  const code = (key: string, required: boolean) => {
    const v = text(key, 60, required);
    if (v != null && !CODE.test(v)) add([key], 'Not a valid code.');
    return v;
  };

  const project = code('project', true);
  const category = code('category', true);
  const region = code('region', false);
  const description = text('description', DESCRIPTION_MAX, true);
  if (description != null && description.trim() === '') add(['description'], 'Describe the problem.');

  let location: Submission['location'] = null;
  if (data.location != null) {
    const l = data.location;
    if (!isObject(l)) add(['location'], 'Must be { lat, lng, address? }.');
    else {
      for (const key of Object.keys(l)) if (!['lat', 'lng', 'address'].includes(key)) add(['location', key], `Unknown field "${key}".`);
      const lat = l.lat;
      const lng = l.lng;
      const hasPoint = lat != null || lng != null;
      if (hasPoint && (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90)) add(['location', 'lat'], 'Latitude must be a number from -90 to 90.');
      if (hasPoint && (typeof lng !== 'number' || !Number.isFinite(lng) || lng < -180 || lng > 180)) add(['location', 'lng'], 'Longitude must be a number from -180 to 180.');
      if (l.address != null && (typeof l.address !== 'string' || l.address.length > 500)) add(['location', 'address'], 'Address must be text of at most 500 characters.');
      if (!hasPoint && (typeof l.address !== 'string' || l.address.trim() === '')) add(['location'], 'Give coordinates (lat, lng), an address, or both.');
      location = { lat: hasPoint ? (lat as number) : null, lng: hasPoint ? (lng as number) : null, address: typeof l.address === 'string' ? l.address : null };
    }
  }

  const language = data.language == null ? 'en' : data.language;
  if (!(SUPPORTED_LOCALES as readonly unknown[]).includes(language)) add(['language'], `Use one of ${SUPPORTED_LOCALES.join(', ')}.`);
  const channel = data.channel == null ? 'web' : data.channel;
  if (!PUBLIC_CHANNELS.includes(channel as Channel)) add(['channel'], `Use one of ${PUBLIC_CHANNELS.join(', ')}.`);
  if (data.anonymous != null && typeof data.anonymous !== 'boolean') add(['anonymous'], 'Must be true or false.');
  const anonymous = data.anonymous === true;

  let citizen: Submission['citizen'] = null;
  if (data.citizen != null) {
    const c = data.citizen;
    if (!isObject(c)) add(['citizen'], 'Must be { name?, phone?, email? }.');
    else {
      for (const key of Object.keys(c)) if (!['name', 'phone', 'email'].includes(key)) add(['citizen', key], `Unknown field "${key}".`);
      const field = (key: string, max: number, pattern?: RegExp, message?: string) => {
        const v = c[key];
        if (v == null || v === '') return null;
        if (typeof v !== 'string' || v.length > max) return add(['citizen', key], `Must be text of at most ${max} characters.`), null;
        if (pattern && !pattern.test(v.trim())) return add(['citizen', key], message!), null;
        return v.trim();
      };
      citizen = {
        name: field('name', 200),
        phone: field('phone', 40, PHONE, 'Not a phone number.'),
        email: field('email', 254, EMAIL, 'Not an e-mail address.'),
      };
      if (anonymous && (citizen.name || citizen.phone || citizen.email)) add(['citizen'], 'An anonymous grievance keeps no name or contact details; leave them out or untick anonymous.');
    }
  }

  let attachments: string[] = [];
  if (data.attachments != null) {
    const a = data.attachments;
    if (!Array.isArray(a) || a.length > MAX_ATTACHMENTS || !a.every((x) => typeof x === 'string' && ATTACHMENT_REF.test(x))) {
      add(['attachments'], `At most ${MAX_ATTACHMENTS} references returned by the attachment upload.`);
    } else attachments = [...new Set(a as string[])];
  }

  if (errors.length > 0) throw new DomainError(ERROR_CODES.VALIDATION, errors.map((e) => `${e.path.join('.')}: ${e.message}`).join(' '), errors);
  return {
    project: project!.toUpperCase(),
    category: category!.toUpperCase(),
    description: description!,
    region: region ? region.toUpperCase() : null,
    location,
    language: language as string,
    channel: channel as Channel,
    anonymous,
    citizen: anonymous ? null : citizen,
    attachments,
  };
}
