/** The locales every deployment serves; names of reference data are kept in each of them. */
import { DEFAULT_LOCALE, SUPPORTED_LOCALES } from '../domain/vocabulary';

const NAMES: Record<string, string> = { en: 'English (en)', fr: 'French (fr)', hi: 'Hindi (hi)' };

export async function ensureLocales(): Promise<void> {
  const locales = strapi.plugin('i18n').service('locales');
  const existing = new Set((await locales.find()).map((l: { code: string }) => l.code));
  for (const code of SUPPORTED_LOCALES) {
    if (!existing.has(code)) await locales.create({ code, name: NAMES[code] ?? code });
  }
  if ((await locales.getDefaultLocale()) !== DEFAULT_LOCALE) await locales.setDefaultLocale({ code: DEFAULT_LOCALE });
}
