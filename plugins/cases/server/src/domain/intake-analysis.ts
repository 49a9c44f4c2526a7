/**
 * Intake intelligence, explained: why a new case got its priority (category default, keyword
 * rules, the tone of the description) and which recent cases it may repeat (TF-IDF cosine
 * similarity of the descriptions). Pure: the intake service supplies the candidates and the
 * sentiment score and stores the explanation with the case for staff to see.
 */
import { Priority, PRIORITIES } from '../../../../../src/domain/vocabulary';

export interface PriorityRule {
  keywords: string[];
  priority: Priority;
}

export interface PriorityDecision {
  priority: Priority;
  reasons: string[];
}

/**
 * A description this negative raises the priority one step: the AFINN-based sum over its words
 * (each word scores -5 to +5), so one unhappy word ("stop", "broken") does not, and several
 * strong ones ("terrible", "desperate", "horrible") do.
 */
export const DISTRESS_THRESHOLD = -6;
/** From this similarity a recent case is shown to staff as a likely duplicate. */
export const DUPLICATE_THRESHOLD = 0.45;
export const MAX_DUPLICATES = 3;

const rank = (p: Priority) => PRIORITIES.indexOf(p);
const higher = (a: Priority, b: Priority) => (rank(a) >= rank(b) ? a : b);

export function validRules(value: unknown): PriorityRule[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (r): r is PriorityRule =>
      !!r && Array.isArray((r as PriorityRule).keywords) && (r as PriorityRule).keywords.every((k) => typeof k === 'string') && PRIORITIES.includes((r as PriorityRule).priority)
  );
}

export function decidePriority(input: { categoryDefault: Priority; rules: unknown; text: string; sentiment: number | null }): PriorityDecision {
  let priority = input.categoryDefault;
  const reasons = [`Category default: ${priority}.`];
  const text = input.text.toLocaleLowerCase();
  for (const rule of validRules(input.rules)) {
    const hit = rule.keywords.find((k) => k.trim() && text.includes(k.toLocaleLowerCase()));
    if (hit && rank(rule.priority) > rank(priority)) {
      priority = rule.priority;
      reasons.push(`Keyword "${hit}": ${rule.priority}.`);
    }
  }
  if (input.sentiment != null && input.sentiment <= DISTRESS_THRESHOLD && rank(priority) < rank('high')) {
    const raised = PRIORITIES[rank(priority) + 1];
    priority = higher(priority, raised);
    reasons.push(`Distressed tone (sentiment ${input.sentiment}): raised to ${priority}.`);
  }
  return { priority, reasons };
}

const STOPWORDS = new Set('a an and are as at be by for from has have i in is it my of on or our that the their there this to was we were with no not since near'.split(' '));

export function tokens(text: string): string[] {
  const words: string[] = text.toLocaleLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  return words.filter((t) => t.length > 1 && !STOPWORDS.has(t));
}

/**
 * A candidate's words and distinct words, memoised by its text: every intake compares itself with
 * the same recent cases, and splitting their descriptions into words was most of its analysis.
 */
const WORDS_KEPT = 5_000;
let wordsByText = new Map<string, { all: string[]; distinct: string[] }>();
function wordsOf(text: string) {
  let words = wordsByText.get(text);
  if (!words) {
    const all = tokens(text);
    words = { all, distinct: [...new Set(all)] };
    if (wordsByText.size >= WORDS_KEPT) wordsByText = new Map();
    wordsByText.set(text, words);
  }
  return words;
}

/** Cosine similarity of TF-IDF vectors of the new text against each candidate. */
export function similarities(text: string, candidates: Array<{ id: number; text: string }>): Array<{ id: number; score: number }> {
  const query = tokens(text);
  const docs = candidates.map((c) => wordsOf(c.text));
  const df = new Map<string, number>();
  for (const term of new Set(query)) df.set(term, 1);
  for (const doc of docs) for (const term of doc.distinct) df.set(term, (df.get(term) ?? 0) + 1);
  const n = docs.length + 1;
  const vector = (doc: string[]) => {
    const tf = new Map<string, number>();
    for (const term of doc) tf.set(term, (tf.get(term) ?? 0) + 1);
    const v = new Map<string, number>();
    for (const [term, count] of tf) v.set(term, (count / doc.length) * (Math.log((1 + n) / (1 + (df.get(term) ?? 0))) + 1));
    return v;
  };
  const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0));
  const queryVector = vector(query);
  const queryNorm = norm(queryVector);
  return candidates.map((c, i) => {
    // No word in common: the dot product is 0, and so is the score.
    if (!docs[i].distinct.some((term) => queryVector.has(term))) return { id: c.id, score: 0 };
    const v = vector(docs[i].all);
    let dot = 0;
    for (const [term, weight] of queryVector) dot += weight * (v.get(term) ?? 0);
    const denominator = queryNorm * norm(v);
    return { id: c.id, score: denominator === 0 ? 0 : Math.round((dot / denominator) * 1000) / 1000 };
  });
}

export function likelyDuplicates(text: string, candidates: Array<{ id: number; text: string }>): Array<{ id: number; score: number }> {
  return similarities(text, candidates)
    .filter((s) => s.score >= DUPLICATE_THRESHOLD)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_DUPLICATES);
}
