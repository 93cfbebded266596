/**
 * The create generators of objects that hold data: configmap and the three secret subcommands
 * (kubectl's create_configmap.go, create_secret.go, create_secret_docker.go, create_secret_tls.go).
 */
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals } from '../context';
import { CliError } from '../../util/errors';
import type { KObject } from '../../model/objects';
import type { ConfigMap, Secret } from '../../model/kinds';
import { checkTlsKeyPair, dataFromSources, dockerConfigJson, readFlagFile } from '../generators';
import { repeatable } from '../flags';
import { collect } from '../flag-sets';
import { contentHash } from '../../kustomize/generators';
import { createGenerated, generatedMetadata, generatorFlags as common, type GeneratorFlags } from '../create-generated';

/** --append-hash, which every generator here takes */
interface HashOptions extends GeneratorFlags {
  appendHash?: boolean;
}

/** --from-literal, --from-file, --from-env-file (configmap and secret generic) */
interface SourceOptions extends HashOptions {
  fromLiteral: string[];
  fromFile: string[];
  fromEnvFile: string[];
}

interface SecretGenericOptions extends SourceOptions {
  type?: string;
}

interface DockerRegistryOptions extends HashOptions {
  dockerServer: string;
  dockerUsername?: string;
  dockerPassword?: string;
  dockerEmail: string;
  fromFile: string[];
}

interface TlsOptions extends HashOptions {
  cert?: string;
  key?: string;
}

/** --append-hash: the name gets kubectl's content hash (hash.ConfigMapHash / SecretHash) */
function withHash(obj: KObject, append: boolean | undefined): KObject {
  if (!append) return obj;
  return { ...obj, metadata: { ...obj.metadata, name: `${obj.metadata.name}-${contentHash(obj, 'kubectl')}` } };
}

function configMap(create: Command, env: CommandEnv): void {
  common(
    create
      .command('configmap')
      .alias('cm')
      .description('Create a config map from a local file, directory or literal value')
      .argument('<name>'),
  )
    .option('--from-literal <kv>', 'Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)', repeatable, [])
    .option('--from-file <source>', 'Key file can be specified using its file path, or key=path', collect, [])
    .option('--from-env-file <file>', 'Specify the path to a file to read lines of key=val pairs', collect, [])
    .option('--append-hash', 'Append a hash of the configmap to its name.')
    .addHelpText('after', '\nExamples:\n  kubesim create configmap app-config --from-literal=mode=prod --from-file=config.json')
    .action((name: string, opts: SourceOptions, cmd: Command) => {
      const { data, binary } = dataFromSources(opts, env.io, { kind: 'ConfigMap', name });
      const text = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.toString('utf8')]));
      const binaryData = Object.fromEntries(Object.entries(binary).map(([k, v]) => [k, v.toString('base64')]));
      const obj: ConfigMap = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: generatedMetadata(name),
        ...(Object.keys(binaryData).length ? { binaryData } : {}),
        ...(Object.keys(text).length ? { data: text } : {}),
      };
      createGenerated(env, globals(cmd, env), withHash(obj, opts.appendHash), opts, cmd);
    });
}

function secretGeneric(secret: Command, env: CommandEnv): void {
  common(secret.command('generic').description('Create a secret from a local file, directory, or literal value').argument('<name>'))
    .option('--from-literal <kv>', 'Specify a key and literal value to insert in secret (i.e. mykey=somevalue)', repeatable, [])
    .option('--from-file <source>', 'Key files can be specified using their file path, or key=path', collect, [])
    .option('--from-env-file <file>', 'Specify the path to a file to read lines of key=val pairs', collect, [])
    .option('--type <type>', 'The type of secret to create')
    .option('--append-hash', 'Append a hash of the secret to its name.')
    .addHelpText('after', '\nExamples:\n  kubesim create secret generic db --from-literal=password=s3cret')
    .action((name: string, opts: SecretGenericOptions, cmd: Command) => {
      const { data } = dataFromSources(opts, env.io, { kind: 'Secret', name });
      const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.toString('base64')]));
      const obj: Secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: generatedMetadata(name),
        ...(Object.keys(encoded).length ? { data: encoded } : {}),
        ...(opts.type ? { type: opts.type } : {}),
      };
      createGenerated(env, globals(cmd, env), withHash(obj, opts.appendHash), opts, cmd);
    });
}

function secretDockerRegistry(secret: Command, env: CommandEnv): void {
  common(secret.command('docker-registry').description('Create a secret for use with a Docker registry').argument('<name>'))
    .option('--docker-server <server>', 'Server location for Docker registry', 'https://index.docker.io/v1/')
    .option('--docker-username <name>', 'Username for Docker registry authentication')
    .option('--docker-password <password>', 'Password for Docker registry authentication')
    .option('--docker-email <email>', 'Email for Docker registry', '')
    .option('--from-file <source>', 'Key files can be specified using their file path, or key=path', collect, [])
    .option('--append-hash', 'Append a hash of the secret to its name.')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create secret docker-registry my-secret --docker-server=registry.example.com --docker-username=me --docker-password=s3cret',
    )
    .action((name: string, opts: DockerRegistryOptions, cmd: Command) => {
      const data: Record<string, string> = {};
      if (opts.fromFile.length) {
        for (const [k, v] of Object.entries(dataFromSources({ fromFile: opts.fromFile }, env.io, { kind: 'Secret', name }).data))
          data[k] = v.toString('base64');
      } else {
        if (!opts.dockerUsername || !opts.dockerPassword || !opts.dockerServer) {
          throw new CliError(
            'either --from-file or the combination of --docker-username, --docker-password and --docker-server is required',
          );
        }
        data['.dockerconfigjson'] = Buffer.from(
          dockerConfigJson(opts.dockerServer, opts.dockerUsername, opts.dockerPassword, opts.dockerEmail),
        ).toString('base64');
      }
      const obj: Secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: generatedMetadata(name),
        data,
        type: 'kubernetes.io/dockerconfigjson',
      };
      createGenerated(env, globals(cmd, env), withHash(obj, opts.appendHash), opts, cmd);
    });
}

function secretTls(secret: Command, env: CommandEnv): void {
  common(secret.command('tls').description('Create a TLS secret').argument('<name>'))
    .option('--cert <file>', 'Path to PEM encoded public key certificate.')
    .option('--key <file>', 'Path to private key associated with given certificate.')
    .option('--append-hash', 'Append a hash of the secret to its name.')
    .addHelpText('after', '\nExamples:\n  kubesim create secret tls tls-secret --cert=path/to/tls.crt --key=path/to/tls.key')
    .action((name: string, opts: TlsOptions, cmd: Command) => {
      if (!opts.cert || !opts.key) throw new CliError('key and cert must be specified');
      const cert = readFlagFile(opts.cert, env.io.cwd);
      const key = readFlagFile(opts.key, env.io.cwd);
      checkTlsKeyPair(cert.toString('utf8'), key.toString('utf8'));
      const data = { 'tls.crt': cert.toString('base64'), 'tls.key': key.toString('base64') };
      const obj: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: generatedMetadata(name), data, type: 'kubernetes.io/tls' };
      createGenerated(env, globals(cmd, env), withHash(obj, opts.appendHash), opts, cmd);
    });
}

/** `create configmap` and `create secret generic|docker-registry|tls` */
export function registerDataCreate(create: Command, env: CommandEnv): void {
  configMap(create, env);
  const secret = create.command('secret').description('Create a secret using a specified subcommand');
  secretGeneric(secret, env);
  secretDockerRegistry(secret, env);
  secretTls(secret, env);
}
