/**
 * `npm run keys:rotate`: re-encrypts citizens' data under the first key of CITIZEN_DATA_KEYS and
 * recomputes the phone index with CITIZEN_INDEX_KEY (docs/security.md). Run it after every
 * instance has been restarted with the new key first in the ring; it prints which old keys no
 * stored value uses any more, and only those may be removed from the ring.
 */
import { loadKeys, rotateSealedData } from '../src/platform/citizen-data';
import { bootStrapi, shutDown } from './strapi-app';

async function main() {
  const keys = loadKeys();
  const strapi = await bootStrapi();
  try {
    const started = Date.now();
    const result = await rotateSealedData(strapi, keys);
    console.log(JSON.stringify({ activeKey: keys.ring.active.id, ...result, seconds: (Date.now() - started) / 1000 }));
  } finally {
    await shutDown(strapi);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
