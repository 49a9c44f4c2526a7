/**
 * `npm run audit:verify [-- --seq N --head HASH]`: walks the whole audit chain and prints
 * `{ ok, checked, head, brokenAt? }`. With a head stored outside the database (seq and hash),
 * also proves that nothing up to it was removed or altered. Exits 1 when the chain is broken.
 */
import { bootStrapi, shutDown } from './strapi-app';

function anchorFromArgs(argv: string[]) {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const seq = value('seq');
  const head = value('head');
  if (seq == null && head == null) return undefined;
  if (!seq || !/^\d+$/.test(seq) || !head || !/^[0-9a-f]{64}$/.test(head)) {
    throw new Error('Give both --seq <number> and --head <64 hex characters>.');
  }
  return { seq: Number(seq), hash: head };
}

async function main() {
  const anchor = anchorFromArgs(process.argv.slice(2));
  const strapi = await bootStrapi();
  try {
    const started = Date.now();
    const result = await strapi.plugin('audit').service('audit').verify(anchor);
    console.log(JSON.stringify({ ...result, seconds: (Date.now() - started) / 1000 }));
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await shutDown(strapi);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
