// `prepare` (npm ci, npm install, and npx installing this checkout): build
// dist/ unless it is already newer than every source. npx installs the
// checkout as a file: dependency and runs `prepare` again; rebuilding then
// would replace dist/ under runs that are loading workers from it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['index.ts', 'lib', 'torture', 'bench', 'tsconfig.json', 'package.json'];
const BUILT = 'dist/torture/cli/main.js';

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, e) => Math.max(m, newest(join(path, e))), s.mtimeMs);
}

const fresh = existsSync(BUILT) && SOURCES.filter(existsSync).every((p) => newest(p) <= statSync(BUILT).mtimeMs);
if (!fresh) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
