import type { WebSocket } from 'ws';
import type { RemoteCommand } from './router';

/**
 * The stream protocol of exec and attach over WebSocket, as kubectl 1.32 speaks it
 * (client-go tools/remotecommand/websocket.go; the server side is apimachinery's
 * util/httpstream/wsstream and the API server's StreamTranslatorHandler): every binary message
 * is one byte of channel — 0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize — then its data. In
 * v5.channel.k8s.io the client ends a stream with a CLOSE message, [255, channel]: that is how
 * stdin's end arrives. The error channel carries one metav1.Status when the command ends
 * (Success, or Failure with reason NonZeroExitCode and an ExitCode cause, from which kubectl
 * takes its exit code), and then the connection closes normally, which ends every stream.
 */

/** The subprotocols served, preferred first (kubectl 1.32 offers only v5). */
export const STREAM_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE = 255;
const STDIN_LIMIT = 3 * 1024 * 1024;

/** The subprotocol to answer an upgrade with, from those the client offers (false: none). */
export function chooseProtocol(offered: Set<string>): string | false {
  return STREAM_PROTOCOLS.find((p) => offered.has(p)) ?? false;
}

/** The Status the error channel carries when a command exits (kubelet remotecommand ServeExec). */
export function exitStatus(code: number, argv: string[]): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** A terminal turns the program's newlines into CR LF (the pty's onlcr), as a container's tty does. */
function terminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/**
 * Runs one exec or attach on an open WebSocket. `subscribe` registers a callback run after each
 * move of the clock (attach reads the container's output then) and returns its removal.
 */
export function serveRemoteCommand(ws: WebSocket, command: RemoteCommand, subscribe: (tick: () => void) => () => void): void {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  const send = (channel: number, data: string | Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (!bytes.length && channel !== ERROR) return;
    ws.send(Buffer.concat([Buffer.from([channel]), bytes]), { binary: true });
  };
  const output = (stdout: string, stderr: string) => {
    // with a tty there is one stream: stderr goes to the terminal too
    if (command.tty) {
      if (command.stdout) send(STDOUT, terminal(stdout + stderr));
      return;
    }
    if (command.stdout) send(STDOUT, stdout);
    if (command.stderr) send(STDERR, stderr);
  };
  let unsubscribe: () => void = () => undefined;
  let finished = false;
  const finish = (status: Record<string, unknown>) => {
    if (finished) return;
    finished = true;
    unsubscribe();
    send(ERROR, JSON.stringify(status));
    ws.close(1000);
  };
  ws.on('close', () => {
    finished = true;
    unsubscribe();
  });
  ws.on('error', () => ws.terminate());

  if (command.attach) {
    const attach = command.attach;
    const pump = () => {
      try {
        const more = attach.next();
        output(more.text, more.stderr ?? '');
        if (more.done) finish(exitStatus(0, []));
      } catch {
        finish(exitStatus(0, []));
      }
    };
    unsubscribe = subscribe(pump);
    // stdin goes to the container's process as it comes (a container without stdin: true drops it)
    const input = command.input;
    if (command.stdin && input)
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary || !data.length || finished) return;
        try {
          if (data[0] === STDIN && data.length > 1) input(data.subarray(1).toString('utf8'), false);
          else if (data[0] === CLOSE && data[1] === STDIN) input('', true);
        } catch {
          // a failed write of the input (the pod went) ends nothing: the next read says so
        }
      });
    return;
  }

  const run = (stdin: string) => {
    try {
      const r = command.run!(stdin);
      output(r.stdout, r.stderr);
      finish(exitStatus(r.code, command.argv));
    } catch (e) {
      finish({
        metadata: {},
        status: 'Failure',
        message: `Internal error occurred: error executing command in container: ${e instanceof Error ? e.message : String(e)}`,
        reason: 'InternalError',
        code: 500,
      });
    }
  };
  // without stdin (or without a way to hear its end, before v5) the command runs at once
  if (!command.stdin || !v5) return run('');
  const chunks: Buffer[] = [];
  let size = 0;
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary || !data.length || finished) return;
    size += data.length;
    // stdin is kept until it ends (the shell runs a command to its end): bounded as a request body is
    if (size > STDIN_LIMIT)
      return finish({
        metadata: {},
        status: 'Failure',
        message: `stdin too large: limit is ${STDIN_LIMIT}`,
        reason: 'RequestEntityTooLarge',
        code: 413,
      });
    if (data[0] === CLOSE) {
      if (data[1] === STDIN) run(Buffer.concat(chunks).toString('utf8'));
      return;
    }
    if (data[0] === STDIN) chunks.push(data.subarray(1));
    // resize messages (channel 4) change nothing: the shell has no terminal size
  });
}
