/**
 * `npm run flag-parity`: for each verb of issue #19, the flags `kubectl VERB --help` lists and
 * the ones kubesim accepts, as a Markdown table.
 *   --update    rewrite test/fixtures/kubectl-flags.json from the kubectl on PATH
 *   --snapshot  compare against that file instead of running kubectl
 */
import * as fs from 'node:fs';
import { FLAG_EXCEPTIONS } from './flag-parity-exceptions';
import {
  globalFlags,
  kubesimProgram,
  parityRows,
  readSnapshot,
  SNAPSHOT_PATH,
  snapshotFromKubectl,
  type FlagSnapshot,
} from './flag-parity-lib';

async function main(args: string[]): Promise<void> {
  let snapshot: FlagSnapshot;
  if (args.includes('--update')) {
    snapshot = snapshotFromKubectl();
    // one flag a line: the diff of a kubectl upgrade reads flag by flag
    const text = JSON.stringify(snapshot, null, 2).replace(
      /\{\n\s+("name"[^}]*?)\n\s+\}/g,
      (_, body: string) => `{ ${body.replace(/,\n\s+/g, ', ')} }`,
    );
    fs.writeFileSync(SNAPSHOT_PATH, `${text}\n`);
    process.stderr.write(`wrote ${SNAPSHOT_PATH} (kubectl ${snapshot.kubectlVersion})\n`);
  } else if (args.includes('--snapshot')) snapshot = readSnapshot();
  else {
    try {
      snapshot = snapshotFromKubectl();
    } catch {
      process.stderr.write('kubectl not found on PATH: using the snapshot in test/fixtures/kubectl-flags.json\n');
      snapshot = readSnapshot();
    }
  }
  const program = await kubesimProgram();
  const rows = parityRows(snapshot, program);
  const lines = [
    `Flags of kubectl ${snapshot.kubectlVersion} (kubectl VERB --help, "Options:") accepted by kubesim`,
    '',
    '| verb | kubectl | kubesim accepts | missing (excepted, with a reason in tools/flag-parity-exceptions.ts) |',
    '| --- | ---: | ---: | --- |',
  ];
  let total = 0;
  let accepted = 0;
  for (const r of rows) {
    total += r.kubectl.length;
    accepted += r.accepted.length;
    const missing = r.missing.map((f) => (FLAG_EXCEPTIONS[r.verb]?.[f] ? `(${f})` : f)).join(' ');
    lines.push(`| ${r.exists ? r.verb : `${r.verb} (no such verb)`} | ${r.kubectl.length} | ${r.accepted.length} | ${missing} |`);
  }
  lines.push(`| **all** | **${total}** | **${accepted}** | |`, '');
  const globals = globalFlags(program);
  const kubectlGlobals = snapshot.global.map((f) => f.name);
  lines.push(
    `Global flags (kubectl options): kubesim accepts ${kubectlGlobals.filter((f) => globals.has(f)).length} of ${kubectlGlobals.length}:`,
    `  accepted: ${kubectlGlobals.filter((f) => globals.has(f)).join(' ')}`,
    `  missing:  ${kubectlGlobals.filter((f) => !globals.has(f)).join(' ')}`,
    `  kubesim's own: ${[...globals].filter((f) => !kubectlGlobals.includes(f)).join(' ')}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main(process.argv.slice(2));
