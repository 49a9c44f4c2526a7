/** `manifest.json` of a backup: what is in it, the checksums, and what a restore must equal. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AuditHead } from './database';

export const MANIFEST = 'manifest.json';
export const FORMAT = 1;

export interface BackupFile {
  name: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  format: number;
  createdAt: string;
  app: { name: string; version: string };
  database: { client: 'sqlite' | 'postgres'; file: string };
  /** Local provider: the archive of the uploads folder. S3: no archive, and why. */
  uploads: { provider: 'local'; file: string; count: number } | { provider: string; file: null; note: string };
  files: BackupFile[];
  grievances: number;
  auditHead: AuditHead | null;
}

export async function describeFile(dir: string, name: string): Promise<BackupFile> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(path.join(dir, name)), hash);
  return { name, sha256: hash.digest('hex'), bytes: fs.statSync(path.join(dir, name)).size };
}

export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) throw new Error(`${dir} is not a backup: there is no ${MANIFEST} in it.`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`${file} is not valid JSON: the backup is damaged.`);
  }
  if (manifest.format !== FORMAT || !Array.isArray(manifest.files) || !manifest.database?.file) {
    throw new Error(`${file} is not a backup manifest this version understands (format ${manifest.format ?? 'missing'}).`);
  }
  return manifest;
}

/** Every listed file must be present with its size and SHA-256; returns the problems found. */
export async function checkFiles(dir: string, manifest: Manifest): Promise<string[]> {
  const problems: string[] = [];
  const needed = [manifest.database.file, ...(manifest.uploads.file ? [manifest.uploads.file] : [])];
  for (const name of needed) {
    if (!manifest.files.some((f) => f.name === name)) problems.push(`${name} has no checksum in the manifest`);
  }
  for (const expected of manifest.files) {
    // Names are plain file names inside the backup directory, never paths.
    if (path.basename(expected.name) !== expected.name) {
      problems.push(`${expected.name} is not a plain file name`);
      continue;
    }
    if (!fs.existsSync(path.join(dir, expected.name))) {
      problems.push(`${expected.name} is missing`);
      continue;
    }
    const actual = await describeFile(dir, expected.name);
    if (actual.bytes !== expected.bytes || actual.sha256 !== expected.sha256) {
      problems.push(`${expected.name} does not match its checksum (expected ${expected.bytes} bytes, sha256 ${expected.sha256}; found ${actual.bytes} bytes, sha256 ${actual.sha256})`);
    }
  }
  return problems;
}
