/**
 * `npm run train -- --out DIR` checks its output folder before any data is read or any step is
 * trained: the folder is created if missing (one level at a time: Node's recursive mkdirSync spins
 * forever on some paths, such as /proc/x) and a probe file is written in it and removed, so a path
 * that is a file, lies under a file, or cannot be written fails at once with one line saying why.
 */
import { mkdirSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export class OutDirError extends Error {}

/** Plain words for the errors a folder check meets. */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'the file system does not allow it',
  ENOTDIR: 'a part of the path is not a folder',
  EEXIST: 'something else appeared there',
  ENAMETOOLONG: 'the name is too long',
};

const why = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code ? `${code}: ${REASONS[code] ?? (error as Error).message}` : String(error);
};

export interface PreparedOutDir {
  /** The absolute folder. */
  dir: string;
  /** Folders this call created, outermost first (removeCreated takes them back). */
  created: string[];
}

/**
 * Makes sure `out` is a folder this process can write files in, creating it and its missing
 * parents. `out` is named as given in every message.
 * @throws OutDirError with a one-line reason
 */
export function prepareOutDir(out: string): PreparedOutDir {
  const dir = resolve(out);
  const fail = (reason: string): never => {
    throw new OutDirError(`--out ${out}: ${reason}`);
  };
  // Walk up to the nearest thing that exists; everything below it is to be created.
  const missing: string[] = [];
  for (let path = dir; ;) {
    let stats;
    try {
      stats = statSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: some parent is a file; walking on up finds it and says so.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') fail(`cannot look at ${path} (${why(error)})`);
      missing.unshift(path);
      const parent = dirname(path);
      if (parent === path) fail(`no part of ${dir} exists`);
      path = parent;
      continue;
    }
    if (!stats.isDirectory()) fail(path === dir ? `${dir} is a file, not a folder` : `${path} is a file, not a folder`);
    break;
  }
  const created: string[] = [];
  for (const path of missing) {
    try {
      mkdirSync(path);
    } catch (error) {
      removeCreated(created);
      fail(`cannot create the folder ${path} (${why(error)})`);
    }
    created.push(path);
  }
  const probe = join(dir, `.write-test-${process.pid}`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (error) {
    removeCreated(created);
    fail(`cannot write in ${dir} (${why(error)})`);
  }
  return { dir, created };
}

/** Removes the folders prepareOutDir created, innermost first, where they are still empty. */
export function removeCreated(created: readonly string[]): void {
  for (const path of [...created].reverse()) {
    try {
      rmdirSync(path);
    } catch {
      return; // not empty (or gone): leave it and its parents
    }
  }
}
