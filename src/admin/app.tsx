import type { StrapiApp } from '@strapi/strapi/admin';

/**
 * Staff meet the grievance tools, not Strapi's developer onboarding (docs/roles.md).
 *
 * Where Strapi keeps the state of its guided tour and of the home page's developer onboarding
 * ("Create your schema", "Deploy to Strapi Cloud"). Strapi 5 has no setting to turn them off, but
 * honours `enabled: false` in this state as "skip all tours"; staff need neither.
 */
const GUIDED_TOUR_STORAGE_KEY = 'STRAPI_GUIDED_TOUR';

function skipGuidedTours(): void {
  try {
    const raw = window.localStorage.getItem(GUIDED_TOUR_STORAGE_KEY);
    const stored = raw ? JSON.parse(raw) : {};
    if (stored?.enabled === false) return;
    window.localStorage.setItem(GUIDED_TOUR_STORAGE_KEY, JSON.stringify({ ...(stored && typeof stored === 'object' ? stored : {}), enabled: false }));
  } catch {
    // Storage refused (private mode) or unreadable: write a fresh state that skips the tours.
    try {
      window.localStorage.setItem(GUIDED_TOUR_STORAGE_KEY, JSON.stringify({ enabled: false }));
    } catch {
      // Nothing more can be done without storage.
    }
  }
}

/**
 * Strapi's release banner ("Introducing the new Media Library … Read blog post") is dismissed per
 * browser under a key scoped by the project's telemetry id, which is `false` while telemetry is off
 * (package.json) and `undefined` until the panel has loaded it; one key per banner variant.
 */
function dismissReleaseBanner(): void {
  try {
    for (const variant of ['true', 'false']) {
      for (const scope of ['false', 'undefined']) {
        window.localStorage.setItem(`STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_${variant}:${scope}`, 'true');
      }
    }
  } catch {
    // Storage refused: the banner shows and can be closed by hand.
  }
}

export default {
  config: {
    // The admin panel speaks every locale the public site serves.
    locales: ['fr', 'hi'],
    tutorials: false,
    notifications: { releases: false },
  },
  // Runs before the panel renders, so the tour never opens, not even on the first visit.
  register(_app: StrapiApp) {
    skipGuidedTours();
    dismissReleaseBanner();
  },
  bootstrap(_app: StrapiApp) {},
};
