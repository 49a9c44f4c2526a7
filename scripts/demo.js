#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: build the admin panel and server, seed the demo data into the embedded SQLite
 * database, start the server and print where to log in. Safe to run again: the build is
 * skipped when it is up to date and the seed creates only what is missing.
 */
const { spawnSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const run = (command, args, env = {}) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const env = {
  STRAPI_TELEMETRY_DISABLED: 'true',
  STRAPI_HIDE_UPDATE_MESSAGE: 'true',
  NODE_OPTIONS: process.env.NODE_OPTIONS || '--max-old-space-size=4096',
};
Object.assign(process.env, env);

run(process.execPath, ['scripts/ensure-env.js']);
require('dotenv').config({ path: path.join(root, '.env') });
// Nothing the demo does may reach a real citizen: e-mail, SMS and WhatsApp are kept in the demo
// outbox (admin panel → Outbox), rendered, unless the operator chose a delivery mode in .env.
if (!process.env.NOTIFICATIONS_DELIVERY) process.env.NOTIFICATIONS_DELIVERY = 'outbox';
const port = process.env.PORT || '1337';
// Messages link to the portal; without PUBLIC_URL the demo's own portal is the one to follow.
if (!process.env.PORTAL_URL && !process.env.PUBLIC_URL) process.env.PORTAL_URL = `http://localhost:${port}/portal`;
if ((process.env.DATABASE_CLIENT || 'sqlite') !== 'sqlite') {
  console.log(`Note: DATABASE_CLIENT=${process.env.DATABASE_CLIENT}; the demo seeds that database.`);
}

const started = Date.now();
const adminBuilt = fs.existsSync(path.join(root, 'dist', 'build', 'index.html'));
if (!adminBuilt || process.env.DEMO_REBUILD === 'true') {
  console.log('Building the admin panel and server (first run only, a few minutes) ...');
  run('npx', ['strapi', 'build']);
} else {
  run('npx', ['tsc', '-p', 'tsconfig.json']);
}
console.log('Seeding demo data ...');
run(process.execPath, ['dist/scripts/seed.js']);

const password = process.env.DEMO_PASSWORD || 'Demo-Password-1';
const accounts = [
  ['admin@demo.local', 'Super Admin'],
  ['project.admin@demo.local', 'Project Admin (district project)'],
  ['piu.admin@demo.local', 'Project Admin (highway project)'],
  ['head.water@demo.local', 'Department Head, Water'],
  ['officer.water@demo.local', 'Officer, Water'],
  ['officer.roads@demo.local', 'Officer, Roads'],
  ['intake@demo.local', 'Intake Clerk'],
  ['viewer@demo.local', 'Viewer (reviewer, no citizen contact data)'],
];
const banner = [
  '',
  `Ready in ${Math.round((Date.now() - started) / 1000)} s. Starting the server ...`,
  '',
  `  Admin panel:  http://localhost:${port}/admin`,
  `  Public portal: http://localhost:${port}/portal/`,
  `  Content API:  http://localhost:${port}/api/projects`,
  process.env.NOTIFICATIONS_DELIVERY === 'outbox'
    ? `  Messages:     http://localhost:${port}/admin/plugins/notifications/outbox (demo outbox: nothing is sent)`
    : `  Messages:     NOTIFICATIONS_DELIVERY=${process.env.NOTIFICATIONS_DELIVERY}: sent through the configured providers`,
  '',
  `  Demo accounts (password: ${password}):`,
  ...accounts.map(([email, role]) => `    ${email.padEnd(28)} ${role}`),
  '',
];
console.log(banner.join('\n'));

const server = spawn('npx', ['strapi', 'start'], { cwd: root, stdio: 'inherit', env: process.env });
const stop = (signal) => server.kill(signal);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
