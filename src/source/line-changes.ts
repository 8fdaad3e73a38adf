/**
 * How many lines a change adds and removes, as `git diff --numstat` counts them: the shortest
 * edit script between the two texts' lines (Myers, O((N+M)·D)). Common leading and trailing
 * lines are trimmed first, so the usual small edit of a large file is cheap. Pure.
 */
export interface LineChanges {
  added: number;
  removed: number;
}

const lines = (text: string): string[] => {
  if (text === '') return [];
  const out = text.split('\n');
  if (out.at(-1) === '') out.pop();
  return out;
};

/** Above this many differing lines the edit distance is not searched; every line counts as changed. */
const MAX_D = 4_000;

export function lineChanges(before: string | undefined, after: string): LineChanges {
  const a = lines(before ?? '');
  const b = lines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  if (n === 0 || m === 0) return { added: m, removed: n };
  const d = editDistance(a.slice(start, endA), b.slice(start, endB));
  if (d === undefined) return { added: m, removed: n };
  // d = inserts + deletes, and m - n = inserts - deletes.
  return { added: (d + m - n) / 2, removed: (d - m + n) / 2 };
}

function editDistance(a: string[], b: string[]): number | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_D);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
          ? (v[offset + k + 1] as number)
          : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return d;
    }
  }
  return undefined;
}
