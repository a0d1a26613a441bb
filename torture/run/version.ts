/** The package version, read once from package.json (a leaf: every reporter and engine may import it). */
import { createRequire } from 'node:module';

/** package.json is two levels above this module when it runs from source (tests), three from dist/. */
function packageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version: string };
      if (pkg.name === 'rcutorture') return pkg.version;
    } catch { /* not here: one level further up */ }
  }
  return 'unknown';
}

export const VERSION: string = packageVersion();
