/**
 * Which history notes the public may read (tracking's `publicNote`, Open311's `status_notes`):
 * those marked public and written by staff or by the platform itself. A citizen's own words (an
 * appeal's reason, a feedback comment) are never published, whatever their row says: rows written
 * before that rule may still be marked public (docs/public-api.md).
 */
export const PUBLIC_NOTE_AUTHORS = ['staff', 'system'] as const;

export interface HistoryNote {
  visibility?: string | null;
  actorType?: string | null;
  note?: string | null;
}

export function isPublicNote(event: HistoryNote): boolean {
  return event.visibility === 'public' && (PUBLIC_NOTE_AUTHORS as readonly string[]).includes(event.actorType ?? '') && typeof event.note === 'string' && event.note.trim() !== '';
}
