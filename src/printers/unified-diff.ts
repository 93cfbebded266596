/**
 * `diff -u -N` between two texts, as GNU diff prints it (kubectl diff runs that
 * program): `--- a<TAB>time`, `+++ b<TAB>time`, hunks with 3 lines of context.
 * Returns '' when the texts are equal.
 */
export function unifiedDiff(a: string, b: string, labels: { from: string; to: string; fromTime: string; toTime: string }): string {
  if (a === b) return '';
  const x = splitLines(a);
  const y = splitLines(b);
  const ops = diffLines(x, y);
  const context = 3;
  const out: string[] = [`--- ${labels.from}\t${labels.fromTime}`, `+++ ${labels.to}\t${labels.toTime}`];
  // group changes into hunks: runs of edits with up to 2*context equal lines between them
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i].op === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end].op !== ' ') end++;
      let eq = end;
      while (eq < ops.length && ops[eq].op === ' ') eq++;
      if (eq < ops.length && eq - end <= 2 * context) end = eq;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const aStart = hunk[0].ai;
    const bStart = hunk[0].bi;
    const aCount = hunk.filter((o) => o.op !== '+').length;
    const bCount = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    for (const o of hunk) out.push(`${o.op}${o.line}`);
    i = end;
  }
  return `${out.join('\n')}\n`;
}

function range(start: number, count: number): string {
  // GNU diff: an empty range names the line before it
  if (count === 0) return `${start},0`;
  if (count === 1) return `${start + 1}`;
  return `${start + 1},${count}`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

interface Op {
  op: ' ' | '-' | '+';
  line: string;
  /** lines of a / b before this one */
  ai: number;
  bi: number;
}

/** Longest-common-subsequence line diff (manifests are small). */
function diffLines(x: string[], y: string[]): Op[] {
  const n = x.length;
  const m = y.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      ops.push({ op: ' ', line: x[i], ai: i, bi: j });
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i][j + 1] > lcs[i + 1][j])) {
      ops.push({ op: '+', line: y[j], ai: i, bi: j });
      j++;
    } else {
      ops.push({ op: '-', line: x[i], ai: i, bi: j });
      i++;
    }
  }
  return ops;
}
