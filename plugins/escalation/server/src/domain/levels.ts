/**
 * Which durations apply to a case at a level: the level's own, or its per-priority override
 * (`priorityOverrides: { urgent: { acknowledgeWithinHours: 4, resolveWithinHours: 24 } }`).
 * Empty resolve time = no limit (e.g. a legal level).
 */
export interface LevelDurations {
  acknowledgeWithinHours: number | null;
  resolveWithinHours: number | null;
}

export interface SlaLevelRecord extends LevelDurations {
  order: number;
  remindBeforeHours?: number | null;
  calendar: 'business' | 'calendar';
  priorityOverrides?: Record<string, Partial<LevelDurations>> | null;
}

export function durationsFor(level: SlaLevelRecord, priority: string | null | undefined): LevelDurations {
  const override = priority ? level.priorityOverrides?.[priority] : undefined;
  return {
    acknowledgeWithinHours: override?.acknowledgeWithinHours ?? level.acknowledgeWithinHours ?? null,
    resolveWithinHours: override?.resolveWithinHours ?? level.resolveWithinHours ?? null,
  };
}

/** Problems with a project's working calendar as entered in the admin panel. */
export function calendarProblems(workingDays: unknown, workingHours: unknown): string[] {
  const problems: string[] = [];
  if (workingDays != null) {
    const ok = Array.isArray(workingDays) && workingDays.length > 0 && workingDays.every((d) => Number.isInteger(d) && d >= 1 && d <= 7);
    if (!ok) problems.push('Working days must be a non-empty list of ISO weekdays, 1 (Monday) to 7 (Sunday).');
  }
  if (workingHours != null) {
    const h = workingHours as { start?: unknown; end?: unknown };
    const time = /^([01]\d|2[0-3]):[0-5]\d$/;
    if (typeof h !== 'object' || typeof h.start !== 'string' || typeof h.end !== 'string' || !time.test(h.start) || !time.test(h.end) || h.end <= h.start) {
      problems.push('Working hours must be { "start": "HH:mm", "end": "HH:mm" } with the end after the start.');
    }
  }
  return problems;
}
