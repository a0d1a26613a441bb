/**
 * What JSON.parse lets through silently but a configuration file must not
 * have: a key given twice in one object (the last would win without a word)
 * and a number too large for a double (1e999 parses as Infinity, which
 * JSON.stringify then shows as null). Run on text JSON.parse has accepted.
 */

/** One line naming the first such problem and its key path, or null. */
export function strictJsonProblem(text: string, parsed: unknown): string | null {
  return duplicateKey(text) ?? nonFinite(parsed, []);
}

function nonFinite(v: unknown, path: string[]): string | null {
  if (typeof v === 'number' && !Number.isFinite(v)) {
    return `bad value for "${path.join('.')}": a number too large to represent (such as 1e999)`;
  }
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const found = nonFinite(x, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/** Scans the (valid) JSON text: every object keeps the keys seen so far. */
function duplicateKey(text: string): string | null {
  // One frame per open object or array: its keys (null for an array) and the key path to it.
  const stack: { keys: Set<string> | null; path: string[] }[] = [];
  let lastString: string | null = null;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      lastString = JSON.parse(text.slice(i, j + 1)) as string;
      i = j;
      continue;
    }
    const top = stack[stack.length - 1];
    if (ch === ':' && top?.keys && lastString !== null) {
      if (top.keys.has(lastString)) {
        return `key "${[...top.path, lastString].join('.')}" is given twice (line ${line}); give each key once`;
      }
      top.keys.add(lastString);
      top.path.push(lastString);
    } else if (ch === '{' || ch === '[') {
      const parentPath = top ? [...top.path] : [];
      stack.push({ keys: ch === '{' ? new Set() : null, path: parentPath });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    }
    if (ch === ',' || ch === '}' || ch === ']') {
      // The value of the current key ended: the next key replaces it in the path.
      const cur = stack[stack.length - 1];
      if (cur?.keys && ch === ',') cur.path.pop();
    }
  }
  return null;
}
