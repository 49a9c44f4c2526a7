/**
 * Relation values reach the document service in many shapes: a documentId, a numeric id,
 * `{ documentId }`, `{ connect: [...] }`, `{ set: [...] }` (the content manager sends connect
 * and disconnect lists). This reads one of them for a to-one relation.
 */
export type RelationRef = { id?: number; documentId?: string };
export type ToOneChange =
  | { kind: 'unchanged' }
  | { kind: 'cleared' }
  | { kind: 'set'; ref: RelationRef };

const asRef = (value: unknown): RelationRef | null => {
  if (typeof value === 'number' && Number.isInteger(value)) return { id: value };
  if (typeof value === 'string' && value !== '') {
    return /^\d+$/.test(value) ? { id: Number(value) } : { documentId: value };
  }
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.documentId === 'string') return { documentId: v.documentId };
    if (v.id != null) return asRef(v.id);
  }
  return null;
};

export function readToOne(value: unknown): ToOneChange {
  if (value === undefined) return { kind: 'unchanged' };
  if (value === null) return { kind: 'cleared' };
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: 'cleared' };
    const ref = asRef(value[value.length - 1]);
    return ref ? { kind: 'set', ref } : { kind: 'unchanged' };
  }
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    const list = Array.isArray(v.set) ? v.set : Array.isArray(v.connect) ? v.connect : null;
    if (list && list.length > 0) {
      const ref = asRef(list[list.length - 1]);
      return ref ? { kind: 'set', ref } : { kind: 'unchanged' };
    }
    if (Array.isArray(v.set)) return { kind: 'cleared' };
    if (Array.isArray(v.disconnect) && v.disconnect.length > 0) return { kind: 'cleared' };
    if ('connect' in v || 'disconnect' in v) return { kind: 'unchanged' };
  }
  const ref = asRef(value);
  return ref ? { kind: 'set', ref } : { kind: 'unchanged' };
}
