import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import * as YAML from 'yaml';
import type { CommandEnv } from '../program';
import { globals, withSession, type Globals } from '../context';
import { selectedManifests } from '../resource-builder';
import type { KindInfo } from '../../api/registry';
import type { KObject } from '../../model/objects';
import { CliError, notFound } from '../../util/errors';
import { collect, parseBoolFlag, withFlags, type FlagSet } from '../flag-sets';
import { followVirtualTime } from '../get-watch';
import { createObject, deleteObject, updateObject } from '../../api/server';
import { resolveType } from '../resource-args';
import { attachTo } from './attach';
import { onDemand } from '../../util/on-demand';
import type { Node, Pod } from '../../model/kinds';
import type { Container, EphemeralContainer, PodSpec } from '../../model/k8s';
import type { Session } from '../../engine/session';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const applyObject = onDemand('cli/apply-object', () => require('../apply-object') as typeof import('../apply-object'));
const podLogs = onDemand(
  'sim/pod-logs',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('../../sim/pod-logs') as typeof import('../../sim/pod-logs'),
);

interface DebugFlags {
  argumentsOnly?: boolean;
  attach?: string | boolean;
  container?: string;
  copyTo?: string;
  custom?: string;
  env: string[];
  filename: string[];
  image?: string;
  imagePullPolicy?: string;
  keepAnnotations?: string | boolean;
  keepInitContainers: string | boolean;
  keepLabels?: string | boolean;
  keepLiveness?: string | boolean;
  keepReadiness?: string | boolean;
  keepStartup?: string | boolean;
  profile: string;
  quiet?: boolean;
  replace?: boolean;
  sameNode?: boolean;
  setImage: string[];
  shareProcesses: string | boolean;
  stdin?: boolean;
  target?: string;
  tty?: boolean;
}

const PROFILES = ['legacy', 'general', 'baseline', 'netadmin', 'restricted', 'sysadmin'] as const;
type Profile = (typeof PROFILES)[number];

/** What `kubesim debug` was asked (DebugOptions after Complete and Validate). */
interface DebugRequest {
  targets: string[];
  args: string[];
  argsOnly: boolean;
  attach: boolean;
  container?: string;
  copyTo?: string;
  custom?: Record<string, unknown>;
  env: { name: string; value: string }[];
  image?: string;
  pullPolicy?: string;
  keep: { labels: boolean; annotations: boolean; liveness: boolean; readiness: boolean; startup: boolean; initContainers: boolean };
  profile: Profile;
  quiet: boolean;
  replace: boolean;
  sameNode: boolean;
  setImages: Map<string, string>;
  shareProcesses?: boolean;
  stdin: boolean;
  target?: string;
  tty: boolean;
}

/** DebugOptions.AddFlags (kubectl 1.32) */
const debugFlags: FlagSet = (c) =>
  c
    .option('--arguments-only', 'If specified, everything after -- will be passed to the new container as Args instead of Command.')
    .option(
      '--attach [bool]',
      "If true, wait for the container to start running, and then attach as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true.",
    )
    .option('-c, --container <name>', 'Container name to use for debug container.')
    .option('--copy-to <name>', 'Create a copy of the target Pod with this name.')
    .option('--custom <file>', 'Path to a JSON or YAML file containing a partial container spec to customize built-in debug profiles.')
    .option('--env <key=value>', 'Environment variables to set in the container.', collect, [])
    .option('-f, --filename <file>', 'identifying the resource to debug', collect, [])
    .option('--image <image>', 'Container image to use for debug container.')
    .option(
      '--image-pull-policy <policy>',
      'The image pull policy for the container. If left empty, this value will not be specified by the client and defaulted by the server.',
    )
    .option('--keep-annotations [bool]', "If true, keep the original pod annotations.(This flag only works when used with '--copy-to')")
    .option(
      '--keep-init-containers [bool]',
      "Run the init containers for the pod. Defaults to true.(This flag only works when used with '--copy-to')",
      'true',
    )
    .option('--keep-labels [bool]', "If true, keep the original pod labels.(This flag only works when used with '--copy-to')")
    .option('--keep-liveness [bool]', "If true, keep the original pod liveness probes.(This flag only works when used with '--copy-to')")
    .option('--keep-readiness [bool]', "If true, keep the original pod readiness probes.(This flag only works when used with '--copy-to')")
    .option('--keep-startup [bool]', "If true, keep the original startup probes.(This flag only works when used with '--copy-to')")
    .option('--profile <name>', 'Options are "legacy", "general", "baseline", "netadmin", "restricted" or "sysadmin".', 'legacy')
    .option('-q, --quiet', 'If true, suppress informational messages.')
    .option('--replace', "When used with '--copy-to', delete the original Pod.")
    .option('--same-node', "When used with '--copy-to', schedule the copy of target Pod on the same node.")
    .option(
      '--set-image <name=image>',
      "When used with '--copy-to', a list of name=image pairs for changing container images, similar to how 'kubectl set image' works.",
      collect,
      [],
    )
    .option('--share-processes [bool]', "When used with '--copy-to', enable process namespace sharing in the copy.", 'true')
    .option('-i, --stdin', 'Keep stdin open on the container(s) in the pod, even if nothing is attached.')
    .option('--target <container>', 'When using an ephemeral container, target processes in this container name.')
    .option('-t, --tty', 'Allocate a TTY for the debugging container.');

/**
 * `kubesim debug (POD | TYPE/NAME) [-- COMMAND args…]` as kubectl 1.32's: an ephemeral container
 * added to the pod through pods/ephemeralcontainers (started by the kubelet, its command run in
 * the simulated shell), a copy of the pod (`--copy-to`, with `--set-image`, `--replace`,
 * `--same-node`, `--share-processes`), or a pod on a node in its host namespaces with the host's
 * root at /host (`node/NAME`), shaped by the debugging profile; with -i/--attach it then attaches.
 */
export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program
      .command('debug')
      .description('Create debugging sessions for troubleshooting workloads and nodes')
      .argument('[args...]', 'POD or TYPE/NAME, then -- and the command'),
    debugFlags,
  )
    .addHelpText(
      'after',
      "\nExamples:\n  # Create an interactive debugging session in pod mypod and immediately attach to it.\n  kubesim debug mypod -it --image=busybox\n\n  # Create a debug container named debugger using a custom automated debugging image.\n  kubesim debug --image=myproj/debug-tools -c debugger mypod\n\n  # Create a copy of mypod adding a debug container and attach to it\n  kubesim debug mypod -it --image=busybox --copy-to=my-debugger\n\n  # Create a copy of mypod changing all container images to busybox\n  kubesim debug mypod --copy-to=my-debugger --set-image=*=busybox\n\n  # Create an interactive debugging session on a node and immediately attach to it.\n  # The container will run in the host namespaces and the host's filesystem will be mounted at /host\n  kubesim debug node/mynode -it --image=busybox",
    )
    .action((args: string[], opts: DebugFlags, cmd: Command) => {
      const g = globals(cmd, env);
      const req = completeDebug(cmd, args, opts, env);
      // Run's builder: the objects the files hold (as written there, not fetched), never beside names
      const fromFiles = opts.filename.length ? debugFileObjects(opts.filename, req.targets, env, g) : undefined;
      const input = req.stdin && req.attach ? env.io.readStdin() : '';
      withSession(g, (s) => runDebug(s, env, req, g.namespace, input, fromFiles));
    });
}

/** The arguments after `--` (cobra's ArgsLenAtDash): the debug container's command. */
function splitAtDash(cmd: Command, args: string[]): { targets: string[]; command: string[] } {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  const raw = (root as unknown as { rawArgs?: string[] }).rawArgs ?? [];
  const dash = raw.indexOf('--');
  const after = dash >= 0 ? raw.length - dash - 1 : 0;
  return { targets: args.slice(0, args.length - after), command: args.slice(args.length - after) };
}

/** pflag's StringToString: `a=1,b=2` pairs (repeatable). */
function stringToString(values: string[], flag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) throw new CliError(`invalid argument "${v}" for "--${flag}" flag: ${v} must be formatted as key=value`);
    out.set(v.slice(0, eq), v.slice(eq + 1));
  }
  return out;
}

/** distribution/reference's ReferenceRegexp: [domain[:port]/]path[:tag][@digest] */
const REFERENCE =
  /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

/** Complete + Validate (debug.go): flags, then their combinations, in kubectl's order. */
function completeDebug(cmd: Command, args: string[], opts: DebugFlags, env: CommandEnv): DebugRequest {
  const { targets, command } = splitAtDash(cmd, args);
  const attachChanged = opts.attach !== undefined;
  const stdin = !!opts.stdin;
  const attach = attachChanged ? parseBoolFlag(opts.attach === true ? 'true' : opts.attach, 'attach') : stdin;
  // a map in Go: sorted here, so the container's env is the same every time
  const envs = [...stringToString(opts.env, 'env')].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => ({ name, value }));
  const profile = opts.profile as Profile;
  if (!PROFILES.includes(profile)) throw new CliError(`unknown profile: ${opts.profile}`);
  let custom: Record<string, unknown> | undefined;
  if (opts.custom) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(env.io.cwd, opts.custom), 'utf8');
    } catch (e) {
      throw new CliError(
        `must pass a container spec json file for custom profile: open ${opts.custom}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`,
      );
    }
    try {
      custom = JSON.parse(text) as Record<string, unknown>;
    } catch {
      try {
        custom = YAML.parse(text) as Record<string, unknown>;
      } catch (e) {
        throw new CliError(`${opts.custom} does not contain a valid container spec: ${(e as Error).message}`);
      }
    }
    if (!custom || typeof custom !== 'object') throw new CliError(`${opts.custom} does not contain a valid container spec`);
  }
  const setImages = stringToString(opts.setImage, 'set-image');
  const req: DebugRequest = {
    targets,
    args: command,
    argsOnly: !!opts.argumentsOnly,
    attach,
    container: opts.container,
    copyTo: opts.copyTo,
    custom,
    env: envs,
    image: opts.image,
    pullPolicy: opts.imagePullPolicy,
    keep: {
      labels: parseBoolFlag(opts.keepLabels === true ? 'true' : opts.keepLabels, 'keep-labels'),
      annotations: parseBoolFlag(opts.keepAnnotations === true ? 'true' : opts.keepAnnotations, 'keep-annotations'),
      liveness: parseBoolFlag(opts.keepLiveness === true ? 'true' : opts.keepLiveness, 'keep-liveness'),
      readiness: parseBoolFlag(opts.keepReadiness === true ? 'true' : opts.keepReadiness, 'keep-readiness'),
      startup: parseBoolFlag(opts.keepStartup === true ? 'true' : opts.keepStartup, 'keep-startup'),
      initContainers: parseBoolFlag(opts.keepInitContainers === true ? 'true' : opts.keepInitContainers, 'keep-init-containers'),
    },
    profile,
    quiet: !!opts.quiet,
    replace: !!opts.replace,
    sameNode: !!opts.sameNode,
    setImages,
    // only when given: the copy keeps the pod's own setting otherwise
    shareProcesses:
      cmd.getOptionValueSource('shareProcesses') === 'cli'
        ? parseBoolFlag(opts.shareProcesses === true ? 'true' : opts.shareProcesses, 'share-processes')
        : undefined,
    stdin,
    target: opts.target,
    tty: !!opts.tty,
  };
  // Validate
  if (req.attach && attachChanged && !req.image && !req.container)
    throw new CliError('you must specify --container or create a new container using --image in order to attach.');
  if (req.copyTo) {
    if (!req.image && !setImages.size && !command.length) throw new CliError('you must specify --image, --set-image or command arguments.');
    if (command.length && !req.container && !req.image)
      throw new CliError('you must specify an existing container or a new image when specifying args.');
  } else if (req.replace) throw new CliError('--replace may only be used with --copy-to.');
  else if (req.sameNode) throw new CliError('--same-node may only be used with --copy-to.');
  else if (setImages.size) throw new CliError('--set-image may only be used with --copy-to.');
  else if (!req.image) throw new CliError('you must specify --image when not using --copy-to.');
  if (req.image && !REFERENCE.test(req.image)) throw new CliError(`invalid image name "${req.image}": invalid reference format`);
  if (!targets.length && !opts.filename.length) throw new CliError('NAME or filename is required for debug');
  if (req.pullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(req.pullPolicy))
    throw new CliError(`invalid image pull policy: ${req.pullPolicy}`);
  for (const [name, image] of setImages)
    if (!REFERENCE.test(image)) throw new CliError(`invalid image name "${image}" for container "${name}": invalid reference format`);
  if (req.target) {
    if (req.copyTo) throw new CliError('--target is incompatible with --copy-to. Use --share-processes instead.');
    if (!req.quiet)
      env.out.out(
        `Targeting container "${req.target}". If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n`,
      );
  }
  if (req.tty && !req.stdin) throw new CliError('-i/--stdin is required for containers with -t/--tty=true');
  if (
    custom &&
    (custom.name || (Array.isArray(custom.command) && custom.command.length) || custom.image || custom.lifecycle || custom.volumeDevices)
  )
    throw new CliError('name, command, image, lifecycle and volume devices are not modifiable via custom profile');
  if (profile === 'legacy')
    env.out.errLine(
      '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".',
    );
  return req;
}

/** An object debug visits: a pod or node of the cluster (by name) or of a file (as the file has it). */
interface DebugTarget {
  kind: KindInfo;
  /** the object; undefined: looked up by name when it is visited */
  object?: KObject;
  namespace?: string;
  name: string;
}

/**
 * -f: the objects in the files (kubectl's builder visits them as decoded, without fetching the
 * live ones), in the file's namespace or the current one; names beside them are refused.
 */
function debugFileObjects(filenames: string[], targets: string[], env: CommandEnv, g: Globals): DebugTarget[] {
  const { kindForManifest, targetNamespace } = applyObject();
  const manifests = selectedManifests({ filename: filenames }, undefined, env.io);
  // builder.visitByPaths: every NAME became a pods/NAME tuple
  if (targets.length) throw new CliError('resource/name arguments cannot be provided when a path is specified');
  return manifests.map((m) => {
    const kind = kindForManifest(m);
    const namespace = targetNamespace(kind, m.object, g.namespace, g.namespaceExplicit);
    return { kind, object: { ...m.object, metadata: { ...m.object.metadata, namespace } }, namespace, name: m.object.metadata.name };
  });
}

/** Run: each target (a pod by default, or node/NAME; or the files' objects), then the attach to the debug container. */
function runDebug(s: Session, env: CommandEnv, req: DebugRequest, namespace: string, input: string, fromFiles?: DebugTarget[]): void {
  const targets =
    fromFiles ??
    req.targets.map((target): DebugTarget => {
      const slash = target.indexOf('/');
      const kind = slash < 0 ? resolveType('pods') : resolveType(target.slice(0, slash));
      return { kind, namespace: kind.namespaced ? namespace : undefined, name: slash < 0 ? target : target.slice(slash + 1) };
    });
  for (const { kind, object, namespace: ns, name } of targets) {
    let debugPod: Pod;
    let containerName: string;
    if (kind.kind === 'Node') {
      const node = (object as Node | undefined) ?? s.store.get('Node', undefined, name);
      if (!node) throw notFound('nodes', name);
      ({ pod: debugPod, container: containerName } = debugNode(s, env, req, node, namespace));
    } else if (kind.kind === 'Pod') {
      const pod = (object as Pod | undefined) ?? s.store.get('Pod', ns, name);
      if (!pod) throw notFound('pods', name);
      ({ pod: debugPod, container: containerName } = req.copyTo ? debugByCopy(s, env, req, pod) : debugByEphemeral(s, env, req, pod));
    } else throw new CliError(`"${kind.group ? `${kind.group}/` : ''}${kind.version}, Kind=${kind.kind}" not supported by debug`);
    if (req.attach && containerName) attachDebug(s, env, req, debugPod, containerName, input);
  }
}

/** computeDebugContainerName: -c, or debugger-xxxxx not taken in the pod (said unless -q). */
function debugContainerName(s: Session, env: CommandEnv, req: DebugRequest, spec: PodSpec): string {
  if (req.container) return req.container;
  const taken = new Set(
    [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].map((c) => c.name),
  );
  let name = '';
  while (!name || taken.has(name)) name = `debugger-${s.random.string(5)}`;
  if (!req.quiet) env.out.out(`Defaulting debug container name to ${name}.\n`);
  return name;
}

const addCapabilities = (c: { securityContext?: Container['securityContext'] }, caps: string[]) => {
  const sc = { ...(c.securityContext ?? {}) };
  sc.capabilities = { ...(sc.capabilities ?? {}), add: [...(sc.capabilities?.add ?? []), ...caps] };
  c.securityContext = sc;
};

/** The restricted profile's container securityContext (as kubectl 1.32 sends it). */
const restrictedContext = (): Container['securityContext'] => ({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
});

/** The profile's settings for the debug container itself (the same for each kind of target). */
function profileContainer(profile: Profile, c: { securityContext?: Container['securityContext'] }): void {
  if (profile === 'general') addCapabilities(c, ['SYS_PTRACE']);
  else if (profile === 'baseline') delete c.securityContext;
  else if (profile === 'restricted') c.securityContext = restrictedContext();
  else if (profile === 'netadmin') addCapabilities(c, ['NET_ADMIN', 'NET_RAW']);
  else if (profile === 'sysadmin') c.securityContext = { ...(c.securityContext ?? {}), privileged: true };
}

/** --custom: the partial container spec merged over the profile's container (strategic merge of a Container). */
function applyCustom(c: Record<string, unknown>, custom: Record<string, unknown> | undefined): void {
  if (!custom) return;
  for (const [k, v] of Object.entries(custom)) {
    if (k === 'name') continue;
    const current = c[k];
    if (Array.isArray(v) && Array.isArray(current) && (k === 'env' || k === 'volumeMounts')) {
      const key = k === 'env' ? 'name' : 'mountPath';
      const merged = [...(current as Record<string, unknown>[])];
      for (const item of v as Record<string, unknown>[]) {
        const at = merged.findIndex((m) => m[key] === item[key]);
        if (at >= 0) merged[at] = { ...merged[at], ...item };
        else merged.push(item);
      }
      c[k] = merged;
    } else if (v && typeof v === 'object' && !Array.isArray(v) && current && typeof current === 'object')
      c[k] = { ...(current as Record<string, unknown>), ...(v as Record<string, unknown>) };
    else c[k] = v;
  }
}

/** The debug container as kubectl writes it (its fields in kubectl's order; the command goes last). */
function debugContainer(name: string, req: DebugRequest): Container {
  return {
    name,
    ...(req.env.length ? { env: req.env } : {}),
    image: req.image,
    ...(req.pullPolicy ? { imagePullPolicy: req.pullPolicy } : {}),
    ...(req.stdin ? { stdin: true } : {}),
    terminationMessagePolicy: 'File',
    ...(req.tty ? { tty: true } : {}),
  };
}

/** --arguments-only sends the arguments as args, otherwise as the command. */
function commandOf(req: DebugRequest): Pick<Container, 'args' | 'command'> {
  return req.argsOnly ? { args: req.args } : { command: req.args };
}

/**
 * debugByEphemeralContainer: the ephemeral container written through pods/ephemeralcontainers.
 * `pod` is the one visited (a file's, with -f): the name is chosen against its containers, and the
 * container is added to the live pod, as kubectl's patch of the difference adds it.
 */
function debugByEphemeral(s: Session, env: CommandEnv, req: DebugRequest, pod: Pod): { pod: Pod; container: string } {
  const name = debugContainerName(s, env, req, pod.spec ?? { containers: [] });
  const ec: EphemeralContainer = { ...debugContainer(name, req), ...(req.target ? { targetContainerName: req.target } : {}) };
  if (req.args.length) Object.assign(ec, commandOf(req));
  profileContainer(req.profile, ec);
  applyCustom(ec as unknown as Record<string, unknown>, req.custom);
  const live = s.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
  if (!live) throw notFound('pods', pod.metadata.name);
  const updated = updateObject(
    s.api,
    { ...live, spec: { ...live.spec!, ephemeralContainers: [...(live.spec?.ephemeralContainers ?? []), ec] } },
    { subresource: 'ephemeralcontainers' },
  ) as Pod;
  s.engine.settle();
  return { pod: updated, container: name };
}

/** generateNodeDebugPod: a pod on the node, in its host namespaces with its root at /host (as the profile says). */
function debugNode(s: Session, env: CommandEnv, req: DebugRequest, node: Node, namespace: string): { pod: Pod; container: string } {
  const cn = req.container || 'debugger';
  const pn = `node-debugger-${node.metadata.name}-${s.random.string(5)}`;
  if (!req.quiet) env.out.out(`Creating debugging pod ${pn} with container ${cn} on node ${node.metadata.name}.\n`);
  const c: Container = { ...debugContainer(cn, req), ...(req.args.length ? commandOf(req) : {}) };
  const spec: PodSpec = { containers: [c], nodeName: node.metadata.name, restartPolicy: 'Never', tolerations: [{ operator: 'Exists' }] };
  // the profiles for a node (profiles.go, as kubectl 1.32 sends them): host namespaces for legacy,
  // general, netadmin and sysadmin; the host's root at /host for legacy, general and sysadmin
  const hostNamespaces = ['legacy', 'general', 'netadmin', 'sysadmin'].includes(req.profile);
  if (['legacy', 'general', 'sysadmin'].includes(req.profile)) {
    spec.volumes = [{ name: 'host-root', hostPath: { path: '/' } }];
    c.volumeMounts = [{ mountPath: '/host', name: 'host-root' }];
  }
  if (hostNamespaces) Object.assign(spec, { hostIPC: true, hostNetwork: true, hostPID: true });
  // (general adds SYS_PTRACE for a pod's processes only: on a node it has the host's)
  if (req.profile !== 'general') profileContainer(req.profile, c);
  applyCustom(c as unknown as Record<string, unknown>, req.custom);
  const created = createObject(s.api, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pn, namespace },
    spec,
  } as Pod) as Pod;
  s.engine.settle();
  return { pod: created, container: cn };
}

/** generatePodCopyWithDebugContainer + debugByCopy: the copy created (and the original deleted with --replace). */
function debugByCopy(s: Session, env: CommandEnv, req: DebugRequest, pod: Pod): { pod: Pod; container: string } {
  const spec = structuredClone(pod.spec ?? { containers: [] }) as PodSpec;
  delete spec.ephemeralContainers;
  if (req.shareProcesses !== undefined) spec.shareProcessNamespace = req.shareProcesses;
  if (!req.sameNode) delete spec.nodeName;
  for (const c of spec.containers) {
    const image = req.setImages.get(c.name) ?? req.setImages.get('*');
    if (image) c.image = image;
  }
  const copy: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: req.copyTo!,
      namespace: pod.metadata.namespace,
      ...(pod.metadata.annotations ? { annotations: { ...pod.metadata.annotations } } : {}),
      ...(pod.metadata.labels ? { labels: { ...pod.metadata.labels } } : {}),
    },
    spec,
  } as Pod;
  let name = req.container ?? '';
  let c = spec.containers.find((x) => x.name === name) ?? spec.initContainers?.find((x) => x.name === name);
  let setImageOnly = false;
  if (!c) {
    if (!req.image) {
      if (!req.setImages.size) throw new CliError('you must specify image when creating new container');
      setImageOnly = true;
    } else {
      if (!name) name = debugContainerName(s, env, req, spec);
      c = { name, terminationMessagePolicy: 'File' };
      spec.containers.push(c);
    }
  }
  if (c) {
    if (req.args.length) {
      if (req.argsOnly) c.args = req.args;
      else {
        c.command = req.args;
        delete c.args;
      }
    }
    if (req.env.length) c.env = req.env;
    if (req.image) c.image = req.image;
    if (req.pullPolicy) c.imagePullPolicy = req.pullPolicy;
    if (req.stdin) c.stdin = true;
    else delete c.stdin;
    if (req.tty) c.tty = true;
    else delete c.tty;
    applyCopyProfile(req, copy, c);
    applyCustom(c as unknown as Record<string, unknown>, req.custom);
  }
  const created = createObject(s.api, copy) as Pod;
  if (req.replace) deleteObject(s.api, 'Pod', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0 });
  s.engine.settle();
  return { pod: created, container: setImageOnly ? '' : name };
}

/**
 * A profile applied to a pod's copy (as kubectl 1.32 does it): legacy drops the labels and keeps
 * the rest; the others drop labels, annotations and probes unless --keep-* says otherwise, share
 * the process namespace and set the debug container's securityContext.
 */
function applyCopyProfile(req: DebugRequest, copy: Pod, c: Container): void {
  const spec = copy.spec!;
  if (req.profile === 'legacy') {
    delete copy.metadata.labels;
    return;
  }
  if (!req.keep.labels) delete copy.metadata.labels;
  if (!req.keep.annotations) delete copy.metadata.annotations;
  if (!req.keep.initContainers) delete spec.initContainers;
  for (const x of spec.containers) {
    if (!req.keep.liveness) delete x.livenessProbe;
    if (!req.keep.readiness) delete x.readinessProbe;
    if (!req.keep.startup) delete x.startupProbe;
  }
  spec.shareProcessNamespace = true;
  if (req.profile === 'baseline' || req.profile === 'restricted') {
    delete spec.securityContext;
    delete spec.hostNetwork;
    delete spec.hostPID;
    delete spec.hostIPC;
  }
  if (req.profile === 'baseline') addCapabilities(c, ['SYS_PTRACE']);
  else profileContainer(req.profile, c);
}

/**
 * handleAttachPod: waits (in virtual time) for the debug container to run, then attaches; a
 * container that already ended shows its logs instead, and a failed attach falls back to them.
 */
function attachDebug(s: Session, env: CommandEnv, req: DebugRequest, pod: Pod, container: string, input: string): void {
  const statusOf = (p: Pod | undefined) =>
    [
      ...(p?.status?.initContainerStatuses ?? []),
      ...(p?.status?.containerStatuses ?? []),
      ...(p?.status?.ephemeralContainerStatuses ?? []),
    ].find((x) => x.name === container);
  let current = s.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
  const warned = new Set<string>();
  const ready = () => {
    current = s.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid) throw notFound('pods', '');
    const st = statusOf(current);
    if (st?.state?.running || st?.state?.terminated) return true;
    const message = st?.state?.waiting?.message;
    if (!req.quiet && message && !warned.has(message)) {
      warned.add(message);
      env.out.errLine(`Warning: container ${container}: ${message}`);
    }
    return false;
  };
  if (!ready()) {
    try {
      followVirtualTime(s, 0, () => {
        if (ready()) throw new Ready();
      });
    } catch (e) {
      if (!(e instanceof Ready)) throw e;
    }
  }
  current = s.store.get('Pod', pod.metadata.namespace, pod.metadata.name)!;
  const all = [
    ...(current.spec?.containers ?? []),
    ...(current.spec?.initContainers ?? []),
    ...((current.spec?.ephemeralContainers ?? []) as Container[]),
  ];
  const c = all.find((x) => x.name === container)!;
  const st = statusOf(current);
  if (!st?.state?.running) {
    // the debug container never ran, or has ended: its log is what there is to see
    if (st?.state?.terminated) printLogs(s, env, current, c);
    return;
  }
  try {
    attachTo(s, env, current, c, { stdin: req.stdin, tty: req.tty, quiet: req.quiet }, input, 'kubesim attach');
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    env.out.errLine(`warning: couldn't attach to pod/${current.metadata.name}, falling back to streaming logs: ${e.message}`);
    printLogs(s, env, current, c);
  }
}

class Ready extends Error {}

function printLogs(s: Session, env: CommandEnv, pod: Pod, c: Container): void {
  const reader = new (podLogs().LogReader)(pod, c, { previous: false, tail: -1, timestamps: false, limitBytes: 0 });
  const text = reader.read(s.store, s.now);
  if (text) env.out.out(text);
}
