#!/usr/bin/env node
'use strict';
/**
 * `npm run fuzz`: the long hostile-input run of tests/integration/fuzz.test.ts.
 *   FUZZ_RUNS   generated requests (default 5000)     FUZZ_SEED  fast-check seed (default: random)
 *   TEST_DB     sqlite (default) or postgres          FUZZ_OUT   report directory (default test-output/fuzz)
 * Prints the number of cases, 5xx and leaks, and writes every failing case (seed, index,
 * request, status, problems) to <FUZZ_OUT>/failures-<seed>.jsonl: rerun with the same FUZZ_SEED
 * and FUZZ_RUNS to reproduce (the requests are fc.sample(requestArb, { seed, numRuns })).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const seed = process.env.FUZZ_SEED || String(Math.floor(Math.random() * 2 ** 31));
const runs = process.env.FUZZ_RUNS || '5000';
const out = path.resolve(root, process.env.FUZZ_OUT || path.join('test-output', 'fuzz'));
fs.mkdirSync(out, { recursive: true });
const failures = path.join(out, `failures-${seed}.jsonl`);
const summary = path.join(out, `summary-${seed}.json`);
fs.rmSync(failures, { force: true });

const env = {
  ...process.env,
  STRAPI_TELEMETRY_DISABLED: 'true',
  STRAPI_HIDE_UPDATE_MESSAGE: 'true',
  FUZZ_LONG: 'true',
  FUZZ_SEED: seed,
  FUZZ_RUNS: runs,
  FUZZ_FAILURES_FILE: failures,
  FUZZ_SUMMARY_FILE: summary,
};
// Each tool's own entry script, run with this Node (no dependence on node_modules/.bin or npx).
const BINS = { tsc: 'typescript/bin/tsc', jest: 'jest/bin/jest.js', strapi: '@strapi/strapi/bin/strapi.js' };
const bin = (name) => path.join(root, 'node_modules', BINS[name]);
const run = (command, args) => spawnSync(process.execPath, [bin(command), ...args], { cwd: root, stdio: 'inherit', env }).status;
if (run('tsc', ['-p', 'tsconfig.json']) !== 0) process.exit(1);
const status = run('jest', ['--runInBand', 'tests/integration/fuzz.test.ts']);

if (fs.existsSync(summary)) {
  const report = JSON.parse(fs.readFileSync(summary, 'utf8'));
  console.log(`\nfuzz (seed ${seed}, ${process.env.TEST_DB || 'sqlite'}): ${report.cases} cases over ${report.routes} routes, ${report.serverErrors} 5xx, ${report.leaks} leaks, ${report.failures} failing cases`);
  console.log(`statuses: ${JSON.stringify(report.byStatus)}`);
  if (report.failures > 0) console.log(`failing cases: ${failures} (reproduce: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz)`);
}
process.exit(status ?? 1);
