/**
 * A count with its noun in the right number ("1 second", "2 seconds"), for the English messages
 * of the API. English has two forms; Intl's plural rules decide which one a number takes.
 */
const RULES = new Intl.PluralRules('en');

export function counted(n: number, one: string, other: string): string {
  return `${n} ${RULES.select(n) === 'one' ? one : other}`;
}

/** "try again in 1 second" / "in 30 seconds": the wait of a rate limit. */
export const seconds = (n: number) => counted(n, 'second', 'seconds');
export const days = (n: number) => counted(n, 'day', 'days');
