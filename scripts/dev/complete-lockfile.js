#!/usr/bin/env node
'use strict';
/**
 * Run after `npm install` changes dependencies (see docs/decisions/0004-lockfile-platform-packages.md).
 *
 * The npm registry reachable here does not carry every platform-specific optional package
 * (e.g. @swc/core-darwin-arm64), so `npm install` leaves them out of package-lock.json and
 * `npm ci` then refuses the lockfile ("Missing: ... from lock file"). This adds each missing
 * optional platform package with its version and the os/cpu/libc its name declares, which is
 * how npm itself records them; `npm ci` then skips them on other platforms without fetching.
 */
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.resolve(__dirname, '..', '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const OS = ['darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'android', 'openharmony'];
const CPU = { arm64: 'arm64', aarch64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', mips64el: 'mips64el', wasm32: 'wasm32', universal: null };

const platformOf = (name) => {
  const parts = name.split('/').pop().split('-');
  const os = OS.find((o) => parts.includes(o) || (o === 'win32' && parts.includes('windows')));
  const cpuKey = Object.keys(CPU).find((c) => parts.includes(c) || parts.includes(`${c}eabihf`) || parts.some((p) => p.startsWith(c) && p.endsWith('eabihf')));
  if (!os) return null;
  const entry = { os: [os] };
  if (cpuKey && CPU[cpuKey]) entry.cpu = [CPU[cpuKey]];
  if (os === 'linux' && parts.includes('musl')) entry.libc = ['musl'];
  else if (os === 'linux' && (parts.includes('gnu') || parts.some((p) => p.startsWith('gnu')))) entry.libc = ['glibc'];
  return entry;
};

let added = 0;
for (const [location, pkg] of Object.entries(lock.packages)) {
  for (const [dep, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const base = location === '' ? '' : `${location}/`;
    const candidates = [`${base}node_modules/${dep}`, `node_modules/${dep}`];
    if (candidates.some((c) => lock.packages[c])) continue;
    const platform = platformOf(dep);
    const version = /^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec) ? spec : null;
    if (!platform || !version) continue;
    lock.packages[`node_modules/${dep}`] = { version, optional: true, ...platform };
    added += 1;
  }
}
const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} platform package entries`);
