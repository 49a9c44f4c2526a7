/** Once per jest run: drops the template databases that the run's suites seeded. */
import { dropTemplates } from './app';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env.GRM_TEST_TEMPLATES;
  if (dir) await dropTemplates(dir);
}
