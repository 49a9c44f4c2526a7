/** Once per jest run: a directory for the seeded template databases (see startApp in app.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default async function globalSetup(): Promise<void> {
  process.env.GRM_TEST_TEMPLATES = fs.mkdtempSync(path.join(os.tmpdir(), 'grm-templates-'));
}
