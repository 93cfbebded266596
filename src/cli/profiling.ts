/**
 * --profile and --profile-output (kubectl's profiling.go): cpu profiles the whole command, heap
 * writes a snapshot when it ends. kubectl writes Go pprof files; kubesim writes what Node's
 * inspector makes: a .cpuprofile (Chrome DevTools' JSON) or a .heapsnapshot, to --profile-output.
 * goroutine, threadcreate, block and mutex are Go runtime profiles with no Node counterpart:
 * nothing is written for them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Inspector from 'node:inspector';

/** Starts the profile; the function returned stops it and writes the file. */
export function startProfiling(name: string, output: string, cwd: string): () => void {
  if (name !== 'cpu' && name !== 'heap') return () => {};
  const file = path.resolve(cwd, output);
  // (required here: the inspector costs every command's start-up ~2 ms, and few profile)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const inspector = require('node:inspector') as typeof Inspector;
  const session = new inspector.Session();
  session.connect();
  if (name === 'cpu') {
    session.post('Profiler.enable');
    session.post('Profiler.start');
    return () => {
      session.post('Profiler.stop', (err, result) => {
        if (!err) fs.writeFileSync(file, JSON.stringify(result.profile));
        session.disconnect();
      });
    };
  }
  return () => {
    const chunks: string[] = [];
    session.on('HeapProfiler.addHeapSnapshotChunk', (m) => chunks.push(m.params.chunk));
    session.post('HeapProfiler.takeHeapSnapshot', undefined, (err) => {
      if (!err) fs.writeFileSync(file, chunks.join(''));
      session.disconnect();
    });
  };
}
