/**
 * Which fields a content-manager save of a case really changes. The admin form sends the whole
 * record, untouched fields included, so a field outside the editable list is refused only when
 * its value differs from the stored one; sending it unchanged is how the form works. Pure: the
 * caller passes the model's attributes and the stored record (relations and media populated).
 */
import { readToOne } from '../../../../../src/platform/relation-input';

interface Attribute {
  type: string;
  relation?: string;
  multiple?: boolean;
}

const blank = (value: unknown) => value === null || value === undefined || value === '';
const idOf = (value: any): string | null => (value == null ? null : typeof value === 'object' ? (value.id != null ? String(value.id) : value.documentId ?? null) : String(value));

/** Canonical JSON (sorted keys), so `{a, b}` and `{b, a}` compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function sameRelation(attribute: Attribute, value: unknown, current: any): boolean {
  const toMany = /ToMany$/.test(attribute.relation ?? '');
  if (toMany) {
    const held = (Array.isArray(current) ? current : []).map((c: any) => String(c.id)).sort();
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      if (Array.isArray(v.set)) return canonical(v.set.map(idOf).sort()) === canonical(held);
      return ['connect', 'disconnect'].every((k) => !Array.isArray(v[k]) || (v[k] as unknown[]).length === 0);
    }
    const wanted = (Array.isArray(value) ? value : []).map(idOf).sort();
    return canonical(wanted) === canonical(held);
  }
  const change = readToOne(value);
  if (change.kind === 'unchanged') return true;
  if (change.kind === 'cleared') return current == null;
  if (current == null) return false;
  return change.ref.id != null ? Number(change.ref.id) === Number(current.id) : change.ref.documentId === current.documentId;
}

function sameMedia(value: unknown, current: unknown): boolean {
  const ids = (v: unknown) => (Array.isArray(v) ? v : v == null ? [] : [v]).map(idOf).filter(Boolean).sort();
  return canonical(ids(value)) === canonical(ids(current));
}

/** Whether `value`, as a request sends it, equals the stored `current` of this attribute. */
export function sameValue(attribute: Attribute | undefined, value: unknown, current: unknown): boolean {
  if (!attribute) return blank(value);
  if (attribute.type === 'relation') return sameRelation(attribute, value, current);
  if (attribute.type === 'media') return sameMedia(value, current);
  if (blank(value) || blank(current)) return blank(value) && blank(current);
  switch (attribute.type) {
    case 'datetime':
    case 'timestamp':
      return new Date(value as string).getTime() === new Date(current as string).getTime();
    case 'date':
      return String(value).slice(0, 10) === String(current instanceof Date ? current.toISOString() : current).slice(0, 10);
    case 'json':
      return canonical(value) === canonical(current);
    case 'integer':
    case 'biginteger':
    case 'float':
    case 'decimal':
      return Number(value) === Number(current);
    case 'boolean':
      return value === current;
    default:
      return String(value) === String(current);
  }
}

/**
 * The fields of `data` that are not editable and differ from the stored record. `documentId`
 * and `id` are compared as they are (a new documentId would hand the case to another document).
 */
export function refusedEdits(data: Record<string, unknown>, current: Record<string, any>, attributes: Record<string, Attribute>, editable: readonly string[]): string[] {
  return Object.keys(data).filter((field) => {
    if (editable.includes(field)) return false;
    if (field === 'id' || field === 'documentId') return !blank(data[field]) && String(data[field]) !== String(current[field]);
    return !sameValue(attributes[field], data[field], current[field]);
  });
}

/**
 * Which owned fields a staff member's new case sets to something of their own: a value that is
 * neither blank nor the schema's default (the create form sends every field, defaults included).
 */
export function refusedOnCreate(data: Record<string, unknown>, attributes: Record<string, Attribute & { default?: unknown }>, owned: readonly string[]): string[] {
  return Object.keys(data).filter((field) => owned.includes(field) && !blank(data[field]) && !sameValue(attributes[field], data[field], attributes[field]?.default ?? null));
}
