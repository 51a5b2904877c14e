import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return start;
    dir = up;
  }
  return dir;
}

/** The repository (or image) root, whether running from source under tsx or from dist/. */
export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
