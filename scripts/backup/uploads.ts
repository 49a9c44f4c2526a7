/** The local upload provider's folder as a tar.gz (node-tar: no shell, no system tar needed). */
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';

/** Placeholder kept in git; not an upload. */
const PLACEHOLDER = '.gitkeep';

function countFiles(dir: string): number {
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += countFiles(path.join(dir, entry.name));
    else if (entry.isFile() && entry.name !== PLACEHOLDER) n += 1;
  }
  return n;
}

export async function archiveUploads(uploadsDir: string, archive: string): Promise<number> {
  if (!fs.existsSync(uploadsDir) || !fs.statSync(uploadsDir).isDirectory()) {
    throw new Error(`The uploads folder ${uploadsDir} does not exist (UPLOADS_DIR; the local provider keeps files in public/uploads).`);
  }
  const count = countFiles(uploadsDir);
  // portable: no user names, uids or ctimes of this machine in the archive.
  await tar.create({ gzip: true, file: archive, cwd: uploadsDir, portable: true }, ['.']);
  return count;
}

/** True when the folder holds files a restore would mix with (the placeholder does not count). */
export function holdsUploads(uploadsDir: string): boolean {
  return fs.existsSync(uploadsDir) && countFiles(uploadsDir) > 0;
}

/** node-tar refuses absolute paths and `..` in entries, so an archive cannot write outside the folder. */
export async function extractUploads(archive: string, uploadsDir: string): Promise<number> {
  fs.mkdirSync(uploadsDir, { recursive: true });
  let count = 0;
  await tar.extract({
    file: archive,
    cwd: uploadsDir,
    strict: true,
    preserveOwner: false,
    onReadEntry: (entry: any) => {
      if (entry.type === 'File' && path.basename(entry.path) !== PLACEHOLDER) count += 1;
    },
  } as any);
  return count;
}
