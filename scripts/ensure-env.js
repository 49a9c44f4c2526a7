#!/usr/bin/env node
'use strict';
/**
 * Creates .env from .env.example with fresh random secrets when there is no .env yet, so a
 * fresh clone starts with `npm run demo` and no secret is ever shared between installations.
 * An existing .env from an earlier version gets the secrets it lacks appended (never replaced:
 * replacing the citizen-data key would make stored data unreadable).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const target = path.join(root, '.env');

const random = () => crypto.randomBytes(16).toString('base64');
const GENERATED = {
  APP_KEYS: () => `${random()},${random()},${random()},${random()}`,
  API_TOKEN_SALT: random,
  ADMIN_JWT_SECRET: random,
  TRANSFER_TOKEN_SALT: random,
  JWT_SECRET: random,
  ENCRYPTION_KEY: random,
  CITIZEN_DATA_KEYS: () => `k1:${crypto.randomBytes(32).toString('base64')}`,
  CITIZEN_INDEX_KEY: () => crypto.randomBytes(32).toString('base64'),
};

if (!fs.existsSync(target)) {
  const lines = fs.readFileSync(path.join(root, '.env.example'), 'utf8').split('\n').map((line) => {
    const [key] = line.split('=', 1);
    return GENERATED[key] ? `${key}=${GENERATED[key]()}` : line;
  });
  fs.writeFileSync(target, lines.join('\n'), { mode: 0o600 });
  console.log('Created .env with fresh secrets (edit it to configure the database, e-mail, storage ...).');
  process.exit(0);
}

const text = fs.readFileSync(target, 'utf8');
const currentValue = (key) => text.split('\n').find((line) => line.split('=', 1)[0].trim() === key)?.split('=').slice(1).join('=').trim();
const missing = Object.keys(GENERATED).filter((key) => !currentValue(key));
if (missing.length) {
  const kept = text.split('\n').filter((line) => !missing.includes(line.split('=', 1)[0].trim()));
  const added = missing.map((key) => `${key}=${GENERATED[key]()}`);
  fs.writeFileSync(target, `${kept.join('\n').replace(/\n*$/, '\n')}${added.join('\n')}\n`, { mode: 0o600 });
  console.log(`Added to .env: ${missing.join(', ')}.`);
}
