/**
 * What `exec` wrote in a pod's containers' files, kept in the container runtime's memory of the
 * pod (ObjectStore.recall / remember, key EXEC_WRITES_MEMORY and the pod's uid): a container's
 * writable layer, which later execs, its exec probes and its preStop hook see. It goes with the
 * pod, and a container that restarts starts from its image again, as on a node. Kept apart
 * from container-runtime.ts so the kubelet can tell the memory changed without loading it.
 */
export const EXEC_WRITES_MEMORY = 'container-runtime';

/** File content written by exec that kubesim keeps per pod, at most. */
export const EXEC_WRITES_MAX_BYTES = 1 << 20;

/** One change exec made to a container's files at a virtual instant: a file's content, a directory, or a removal. */
export interface ExecWrite {
  at: number;
  path: string;
  data?: string;
  dir?: true;
  removed?: true;
}

/** What `attach -i` sent a container's stdin (`stdin: true`): each session's input at its instant. */
export interface AttachedStdin {
  at: number;
  data: string;
}

/**
 * Per container: the instance (restart count, start time) the writes belong to, and what
 * `attach -i` sent its stdin (the process reads it: it is run again with it), with the instant
 * its stdin closed (stdinOnce: when the first session's input ended).
 */
export type ExecWrites = Record<
  string,
  { restartCount: number; startedAt: number; writes: ExecWrite[]; stdin?: AttachedStdin[]; stdinClosedAt?: number }
>;
