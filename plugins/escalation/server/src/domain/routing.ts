/**
 * Where an escalated case goes: up the region tree to the depth its new level owns, and to the
 * focal person staff profiles name for that level, region and department. Pure: the service
 * loads the region chain and the candidate profiles, this decides.
 */

export interface RegionNode {
  documentId: string;
  /** Depth in the region tree: 1 = the top (state or project), larger = smaller areas. */
  level: number;
}

/**
 * The region that owns the case at a level whose `regionLevel` is given: the ancestor at that
 * depth. `chain` runs from the case's region up to the root. A case already above that depth,
 * a level without a region depth, or a tree without such a depth leaves the region as it is.
 */
export function regionAtDepth(chain: RegionNode[], regionLevel: number | null | undefined): RegionNode | null {
  if (chain.length === 0) return null;
  if (!regionLevel || chain[0].level <= regionLevel) return chain[0];
  return chain.find((r) => r.level === regionLevel) ?? chain[0];
}

export interface Candidate {
  profileId: number;
  userId: number;
  /** Departments the profile covers; empty = every department of its projects. */
  departments: string[];
  /** Regions the profile covers (with their sub-regions); empty = the whole project. */
  regions: string[];
}

/**
 * The focal person for a case: among active profiles that hold the level, the one whose
 * department and region match most closely (exact region, then an ancestor, then project-wide;
 * a named department before "all departments"). Ties go to the longest-standing profile, so the
 * answer does not change from one sweep to the next.
 */
export function pickFocalPerson(candidates: Candidate[], departmentId: string | null, regionChain: string[]): Candidate | null {
  let best: { candidate: Candidate; score: number } | null = null;
  for (const candidate of candidates) {
    let score = 0;
    if (candidate.departments.length > 0) {
      if (!departmentId || !candidate.departments.includes(departmentId)) continue;
      score += 4;
    }
    if (candidate.regions.length > 0) {
      const at = regionChain.findIndex((r) => candidate.regions.includes(r));
      if (at < 0) continue;
      score += at === 0 ? 2 : 1;
    }
    if (!best || score > best.score || (score === best.score && candidate.profileId < best.candidate.profileId)) best = { candidate, score };
  }
  return best?.candidate ?? null;
}
