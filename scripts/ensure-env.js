#!/usr/bin/env node
'use strict';
/**
 * Creates .env from .env.example with fresh random secrets when there is no .env yet, so a
 * fresh clone starts with `npm run demo` and no secret is ever shared between installations.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const target = path.join(root, '.env');
if (fs.existsSync(target)) process.exit(0);

const random = () => crypto.randomBytes(16).toString('base64');
const SECRETS = ['API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'JWT_SECRET', 'ENCRYPTION_KEY'];
const lines = fs.readFileSync(path.join(root, '.env.example'), 'utf8').split('\n').map((line) => {
  const [key] = line.split('=', 1);
  if (key === 'APP_KEYS') return `APP_KEYS=${random()},${random()},${random()},${random()}`;
  if (SECRETS.includes(key)) return `${key}=${random()}`;
  return line;
});
fs.writeFileSync(target, lines.join('\n'), { mode: 0o600 });
console.log('Created .env with fresh secrets (edit it to configure the database, e-mail, storage ...).');
