import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it, expect } from 'vitest';
import { kubesim, tempCluster } from '../support/cli';

/*
 * kubectl kustomize's helm and plugin flags (kustomize v5.5 as kubectl v1.32 embeds it). helm and
 * docker are not installed here: fake ones on PATH log the arguments, environment and stdin
 * kustomize gives them, and print what a chart or a function would. Every expected text below
 * was captured from /usr/lib/google-cloud-sdk/bin/kubectl.1.32 with the same fakes; the last
 * test re-runs the trees through that kubectl, when it is installed, and compares.
 */

const REAL_KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

/** helm: `version` prints $FAKE_VERSION, `pull` makes the chart, `template` prints a ConfigMap named after the release. */
const FAKE_HELM = `#!/bin/sh
echo "ARGS: $*" >> "$FAKE_LOG"
echo "ENV: $HELM_CONFIG_HOME $HELM_CACHE_HOME $HELM_DATA_HOME" >> "$FAKE_LOG"
case "$1" in
version) echo "\${FAKE_VERSION:-v3.14.0+g1234567}";;
pull) mkdir -p "$4/$FAKE_CHART"; echo "eula: false" > "$4/$FAKE_CHART/values.yaml";;
template)
  if [ -n "$FAKE_FAIL" ]; then echo "Error: boom" >&2; echo partial; exit 3; fi
  for a in "$@"; do case "$a" in *.yaml) echo "VALUES $a:"; cat "$a";; esac; done >> "$FAKE_LOG"
  if [ -n "$FAKE_PRE" ]; then printf '%s\\n' "$FAKE_PRE"; fi
  printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: %s-cm\\ndata:\\n  k: v\\n' "$2";;
esac
`;

/** docker: logs its arguments and stdin, prints $FAKE_OUT (or its stdin back) and exits $FAKE_RC. */
const FAKE_DOCKER = `#!/bin/sh
echo "ARGS: $*" > "$FAKE_LOG"
cat > "$FAKE_LOG.stdin"
if [ -n "$FAKE_STDERR" ]; then echo "$FAKE_STDERR" >&2; fi
if [ -n "$FAKE_OUT" ]; then cat "$FAKE_OUT"; else cat "$FAKE_LOG.stdin"; fi
exit \${FAKE_RC:-0}
`;

interface Tree {
  dir: string;
  state: string;
  log: string;
  file(name: string, content: string): string;
  env(extra?: Record<string, string>): Record<string, string>;
}

/** A temp tree with fake helm and docker in bin/ and a log they write. */
function tree(): Tree {
  const t = tempCluster();
  const bin = path.join(t.dir, 'bin');
  fs.mkdirSync(bin);
  for (const [name, text] of [
    ['helm', FAKE_HELM],
    ['docker', FAKE_DOCKER],
  ]) {
    fs.writeFileSync(path.join(bin, name), text);
    fs.chmodSync(path.join(bin, name), 0o755);
  }
  const log = path.join(t.dir, 'fake.log');
  return {
    ...t,
    log,
    env: (extra = {}) => ({ PATH: `${bin}:/usr/bin:/bin`, HOME: t.dir, FAKE_LOG: log, FAKE_CHART: 'minecraft', ...extra }),
  };
}

/** kustomize's temporary helm directory has a random name: the same placeholder for every run. */
const normal = (text: string) => text.replace(/kustomize-helm-[A-Za-z0-9]+/g, 'kustomize-helm-N');
const readLog = (t: Tree, suffix = '') => normal(fs.readFileSync(t.log + suffix, 'utf8')).replaceAll(fs.realpathSync(t.dir), '<dir>');

async function run(t: Tree, args: string[], env: Record<string, string> = {}) {
  const r = await kubesim(t.state, ['kustomize', ...args], { cwd: t.dir, env: t.env(env) });
  return { code: r.code, stdout: r.stdout, stderr: normal(r.stderr).replaceAll(fs.realpathSync(t.dir), '<dir>') };
}

const TMP = '/tmp/kustomize-helm-N';
const HELM_ENV = `[HELM_CONFIG_HOME=${TMP}/helm HELM_CACHE_HOME=${TMP}/helm/.cache HELM_DATA_HOME=${TMP}/helm/.data]`;

const MINECRAFT = `helmCharts:
- name: minecraft
  repo: https://itzg.github.io/minecraft-server-charts
  version: 3.1.3
  releaseName: moria
  namespace: games
  valuesInline:
    minecraftServer:
      eula: true
`;

describe('kustomize helmCharts (HelmChartInflationGenerator)', () => {
  it('needs --enable-helm; without helm on PATH fails as kustomize execs it', async () => {
    const t = tree();
    t.file('h/kustomization.yaml', MINECRAFT);
    const config =
      '`\nname: minecraft\nnamespace: games\nreleaseName: moria\nrepo: https://itzg.github.io/minecraft-server-charts\nvaluesInline:\n  minecraftServer:\n    eula: true\nversion: 3.1.3\n`';
    expect(await run(t, ['h'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: trouble configuring builtin HelmChartInflationGenerator with config: ${config}: must specify --enable-helm\n`,
    });
    expect((await run(t, ['h', '--enable-helm', '--helm-command', ''])).stderr).toBe(
      `error: trouble configuring builtin HelmChartInflationGenerator with config: ${config}: must specify --helm-command\n`,
    );
    expect(await run(t, ['h', '--enable-helm'], { PATH: '/nonexistent' })).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: unable to run: 'helm version -c --short' with env=${HELM_ENV} (is 'helm' installed?): exec: "helm": executable file not found in $PATH\n`,
    });
    expect((await run(t, ['h', '--enable-helm', '--helm-command', '/nonexist/helm'])).stderr).toBe(
      `error: unable to run: '/nonexist/helm version -c --short' with env=${HELM_ENV} (is '/nonexist/helm' installed?): fork/exec /nonexist/helm: no such file or directory\n`,
    );
  });

  it('pulls a chart into chartHome/NAME-VERSION and templates it with the merged values', async () => {
    const t = tree();
    t.file('h/kustomization.yaml', MINECRAFT);
    expect(await run(t, ['h', '--enable-helm'])).toEqual({
      code: 0,
      stdout: 'apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: moria-cm\n',
      stderr: '',
    });
    const chartHome = '<dir>/h/charts/minecraft-3.1.3';
    expect(readLog(t)).toBe(
      [
        'ARGS: version -c --short',
        `ENV: ${TMP}/helm ${TMP}/helm/.cache ${TMP}/helm/.data`,
        `ARGS: pull --untar --untardir ${chartHome} --repo https://itzg.github.io/minecraft-server-charts minecraft --version 3.1.3`,
        `ENV: ${TMP}/helm ${TMP}/helm/.cache ${TMP}/helm/.data`,
        `ARGS: template moria ${chartHome}/minecraft --namespace games -f ${TMP}/minecraft-kustomize-values.yaml`,
        `ENV: ${TMP}/helm ${TMP}/helm/.cache ${TMP}/helm/.data`,
        `VALUES ${TMP}/minecraft-kustomize-values.yaml:`,
        'eula: false',
        'minecraftServer:',
        '  eula: true',
        '',
      ].join('\n'),
    );
    // the chart stays where helm pulled it; the temporary HELM_CONFIG_HOME is gone
    expect(fs.existsSync(path.join(t.dir, 'h/charts/minecraft-3.1.3/minecraft/values.yaml'))).toBe(true);
    // --enable-alpha-plugins enables helm too (kustomize's EnabledPluginConfig); a local chart is not pulled again
    fs.rmSync(t.log);
    expect((await run(t, ['h', '--enable-alpha-plugins'])).stdout).toContain('name: moria-cm');
    expect(readLog(t)).not.toContain('ARGS: pull');
  });

  it('passes the entry and the --helm-* flags to helm template in kustomize order; the entry wins over the flags', async () => {
    const t = tree();
    t.file('h/mycharts/web/values.yaml', 'replicas: 1\nimage:\n  tag: a\n');
    t.file('h/extra.yaml', 'image:\n  tag: b\n');
    t.file(
      'h/kustomization.yaml',
      `helmGlobals:
  chartHome: mycharts
  configHome: /tmp/kubesim-helm-config
helmCharts:
- name: web
  includeCRDs: true
  skipTests: true
  skipHooks: true
  nameTemplate: foo
  apiVersions: [x/v1]
  kubeVersion: "1.29"
  additionalValuesFiles: [extra.yaml]
  valuesInline:
    image: {pullPolicy: Always}
  valuesMerge: merge
`,
    );
    expect((await run(t, ['h', '--enable-helm', '--helm-kube-version', '1.31', '--helm-api-versions', 'cli/v1'])).stdout).toBe(
      'apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: --generate-name-cm\n',
    );
    const log = readLog(t);
    expect(log).toContain('ENV: /tmp/kubesim-helm-config /tmp/kubesim-helm-config/.cache /tmp/kubesim-helm-config/.data\n');
    expect(log).toContain(
      `ARGS: template --generate-name <dir>/h/mycharts/web --name-template foo -f ${TMP}/web-kustomize-values.yaml -f <dir>/h/extra.yaml --api-versions x/v1 --kube-version 1.29 --include-crds --skip-tests --no-hooks\n`,
    );
    // valuesMerge merge: the chart's values win, inline ones fill in
    expect(log).toContain(`VALUES ${TMP}/web-kustomize-values.yaml:\nimage:\n  pullPolicy: Always\n  tag: a\nreplicas: 1\n`);
    // the flags apply where the entry is silent; --helm-debug adds --debug
    t.file(
      'h/kustomization.yaml',
      'helmGlobals:\n  chartHome: mycharts\nhelmCharts:\n- name: web\n  releaseName: r\n  valuesInline: {image: {tag: c}}\n',
    );
    fs.rmSync(t.log);
    await run(t, [
      'h',
      '--enable-helm',
      '--helm-kube-version',
      '1.31',
      '--helm-api-versions',
      'a/v1',
      '--helm-api-versions',
      'b/v2',
      '--helm-debug',
    ]);
    expect(readLog(t)).toContain(
      `ARGS: template r <dir>/h/mycharts/web -f ${TMP}/web-kustomize-values.yaml --api-versions a/v1 --api-versions b/v2 --kube-version 1.31 --debug\n`,
    );
    // valuesMerge override (the default): the inline values win
    expect(readLog(t)).toContain(`VALUES ${TMP}/web-kustomize-values.yaml:\nimage:\n  tag: c\nreplicas: 1\n`);
  });

  it('reports helm failures, a helm that is not v3, and bad entries as kustomize does', async () => {
    const t = tree();
    t.file('h/kustomization.yaml', MINECRAFT);
    const template = `helm template moria <dir>/h/charts/minecraft-3.1.3/minecraft --namespace games -f ${TMP}/minecraft-kustomize-values.yaml`;
    expect((await run(t, ['h', '--enable-helm'], { FAKE_FAIL: '1' })).stderr).toBe(
      `error: Error: boom\n: unable to run: '${template}' with env=${HELM_ENV} (is 'helm' installed?): exit status 3\n`,
    );
    expect((await run(t, ['h', '--enable-helm', '--helm-debug'], { FAKE_FAIL: '1' })).stderr).toBe(
      `error:  Helm stack trace:\nError: boom\n\nHelm template:\npartial\n\n: unable to run: '${template} --debug' with env=${HELM_ENV} (is 'helm' installed?): exit status 3\n`,
    );
    expect((await run(t, ['h', '--enable-helm'], { FAKE_VERSION: 'v2.1.0' })).stderr).toBe(
      'error: this plugin requires helm V3 but got v2.1.0\n',
    );
    expect((await run(t, ['h', '--enable-helm'], { FAKE_VERSION: 'nothing' })).stderr).toBe(
      'error: cannot find version string in nothing\n',
    );
    // helm's output read as kustomize reads it: a comment before the first document is skipped, text is not
    expect((await run(t, ['h', '--enable-helm'], { FAKE_PRE: '# notes\n---' })).stdout).toContain('name: moria-cm');
    expect((await run(t, ['h', '--enable-helm'], { FAKE_PRE: 'NOTES: hello\n---' })).stderr).toBe(
      'error: could not parse rnode slice into resource map: missing Resource metadata\n',
    );
    t.file('h/kustomization.yaml', 'helmCharts:\n- name: missing\n');
    expect((await run(t, ['h', '--enable-helm'])).stderr).toBe("error: no repo specified for pull, no chart found at ''\n");
    t.file('h/kustomization.yaml', 'helmCharts:\n- releaseName: x\n');
    expect((await run(t, ['h', '--enable-helm'])).stderr).toBe(
      'error: trouble configuring builtin HelmChartInflationGenerator with config: `\nreleaseName: x\n`: chart name cannot be empty\n',
    );
    t.file('h/kustomization.yaml', 'helmCharts:\n- name: a\n  valuesMerge: bogus\n');
    expect((await run(t, ['h', '--enable-helm'])).stderr).toBe(
      'error: trouble configuring builtin HelmChartInflationGenerator with config: `\nname: a\nvaluesMerge: bogus\n`: valuesMerge must be one of [merge override replace]\n',
    );
    t.file('h/kustomization.yaml', 'helmCharts:\n- name: a\n  additionalValuesFiles: [nope.yaml]\n');
    expect((await run(t, ['h', '--enable-helm'])).stderr).toBe(
      "error: trouble configuring builtin HelmChartInflationGenerator with config: `\nadditionalValuesFiles:\n- nope.yaml\nname: a\n`: could not load additionalValuesFile: evalsymlink failure on '<dir>/h/nope.yaml' : lstat <dir>/h/nope.yaml: no such file or directory\n",
    );
    // a builtin HelmChartInflationGenerator config under generators: is refused by the plugin loader
    t.file(
      'hg/kustomization.yaml',
      'generators:\n- |-\n  apiVersion: builtin\n  kind: HelmChartInflationGenerator\n  metadata:\n    name: mc\n  name: minecraft\n',
    );
    const loading =
      'error: loading generator plugins: failed to load generator: plugin HelmChartInflationGenerator.builtin.[noGrp]/mc.[noNs] fails configuration:';
    expect((await run(t, ['hg'])).stderr).toBe(`${loading} must specify --enable-helm\n`);
    expect((await run(t, ['hg', '--enable-helm', '--helm-command', ''])).stderr).toBe(`${loading} must specify --helm-command\n`);
    t.file('h/charts/novals/templates/x.yaml', '');
    t.file('h/kustomization.yaml', 'helmCharts:\n- name: novals\n');
    expect((await run(t, ['h', '--enable-helm'])).stderr).toBe(
      "error: evalsymlink failure on '<dir>/h/charts/novals/values.yaml' : lstat <dir>/h/charts/novals/values.yaml: no such file or directory\n",
    );
  });
});

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\ndata:\n  a: b\n';
const FN = `apiVersion: example.com/v1
kind: SetLabel
metadata:
  name: setlabel
  annotations:
    config.kubernetes.io/function: |
      container:
        image: example.com/set-label:v1
spec:
  value: hello
`;
const FN_CONFIG = `functionConfig:
  apiVersion: example.com/v1
  kind: SetLabel
  metadata:
    annotations:
      config.kubernetes.io/function: |
        container:
          image: example.com/set-label:v1
      config.kubernetes.io/local-config: 'true'
    name: setlabel
  spec:
    value: hello
`;

describe('kustomize KRM function plugins (config.kubernetes.io/function)', () => {
  it('runs a container transformer with docker: the flags kustomize builds, a ResourceList on stdin, the output as the new resources', async () => {
    const t = tree();
    t.file('f/cm.yaml', CM);
    t.file('f/fn.yaml', FN);
    t.file('f/kustomization.yaml', 'resources: [cm.yaml]\ntransformers: [fn.yaml]\n');
    fs.mkdirSync(path.join(t.dir, 'f/data'));
    const identity = await run(
      t,
      [
        'f',
        '--enable-alpha-plugins',
        '-e',
        'FOO',
        '-e',
        'BAR=barval',
        '--mount',
        'type=bind,src=data,dst=/data',
        '--as-current-user',
        '--network',
        '--network-name',
        'mynet',
      ],
      { FOO: 'fooval' },
    );
    expect(identity).toEqual({ code: 0, stdout: 'apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: base\n', stderr: '' });
    const uidgid = `${process.getuid!()}:${process.getgid!()}`;
    expect(readLog(t)).toBe(
      `ARGS: run --rm -i -a STDIN -a STDOUT -a STDERR --network none --user ${uidgid} --security-opt=no-new-privileges --mount type=bind,source=<dir>/f/data,target=/data,readonly -e BAR=barval -e LOG_TO_STDERR=true -e STRUCTURED_RESULTS=true -e FOO example.com/set-label:v1\n`,
    );
    expect(readLog(t, '.stdin')).toBe(
      `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  data:
    a: b
  kind: ConfigMap
  metadata:
    annotations:
      kustomize.config.k8s.io/id: |
        kind: ConfigMap
        name: base
        version: v1
      config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/annotations-migration-resource-id: '0'
      internal.config.kubernetes.io/id: '1'
      config.k8s.io/id: '1'
    name: base
${FN_CONFIG}`,
    );
    // what the function prints replaces the resources: base changed, a Secret added, anything left out removed
    t.file(
      'out.yaml',
      `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: base
    annotations:
      config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/id: '1'
      config.k8s.io/id: '1'
    labels: {x: y}
  data:
    a: changed
- apiVersion: v1
  kind: Secret
  metadata:
    name: new
  stringData: {p: q}
results:
- message: all good
  severity: info
`,
    );
    expect((await run(t, ['f', '--enable-alpha-plugins'], { FAKE_OUT: path.join(t.dir, 'out.yaml') })).stdout).toBe(
      'apiVersion: v1\ndata:\n  a: changed\nkind: ConfigMap\nmetadata:\n  labels:\n    x: "y"\n  name: base\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: new\nstringData:\n  p: q\n',
    );
    expect(readLog(t)).toContain('--user nobody ');
    t.file('empty.yaml', 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n');
    expect(await run(t, ['f', '--enable-alpha-plugins'], { FAKE_OUT: path.join(t.dir, 'empty.yaml') })).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('runs a container generator on its own config; needs-hash and behavior annotations as kustomize reads them', async () => {
    const t = tree();
    t.file('f/cm.yaml', CM);
    t.file('f/fn.yaml', FN);
    t.file('f/kustomization.yaml', 'resources: [cm.yaml]\ngenerators: [fn.yaml]\n');
    // the function's own config comes back marked local-config: it is not output
    expect((await run(t, ['f', '--enable-alpha-plugins'])).stdout).toBe(
      'apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: base\n',
    );
    expect(readLog(t, '.stdin')).toBe(
      `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: example.com/v1
  kind: SetLabel
  metadata:
    annotations:
      config.kubernetes.io/function: |
        container:
          image: example.com/set-label:v1
      config.kubernetes.io/local-config: 'true'
      config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/annotations-migration-resource-id: '0'
      internal.config.kubernetes.io/id: '1'
      config.k8s.io/id: '1'
    name: setlabel
  spec:
    value: hello
${FN_CONFIG}`,
    );
    t.file(
      'out.yaml',
      `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: gen
    annotations:
      kustomize.config.k8s.io/needs-hash: "true"
  data: {k: v}
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: base
    annotations:
      kustomize.config.k8s.io/behavior: merge
  data: {extra: "1"}
`,
    );
    expect((await run(t, ['f', '--enable-alpha-plugins'], { FAKE_OUT: path.join(t.dir, 'out.yaml') })).stdout).toBe(
      'apiVersion: v1\ndata:\n  a: b\n  extra: "1"\nkind: ConfigMap\nmetadata:\n  name: base\n---\napiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: gen-bdg947hgcc\n',
    );
  });

  it('fails as kustomize does: docker failing (its stderr passed through), network, mounts, a bad spec, no plugin root', async () => {
    const t = tree();
    t.file('f/cm.yaml', CM);
    t.file('f/fn.yaml', FN);
    t.file('f/kustomization.yaml', 'resources: [cm.yaml]\ntransformers: [fn.yaml]\n');
    const daemon = 'docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
    // a transformer's error ends with a space (kustomize appends the function's empty output)
    expect(await run(t, ['f', '--enable-alpha-plugins'], { FAKE_STDERR: daemon, FAKE_RC: '125', FAKE_OUT: '/dev/null' })).toEqual({
      code: 1,
      stdout: '',
      stderr: `${daemon}\nerror: couldn't execute function: exit status 125 \n`,
    });
    t.file('bad.yaml', 'not: [valid\n');
    expect((await run(t, ['f', '--enable-alpha-plugins'], { FAKE_OUT: path.join(t.dir, 'bad.yaml') })).stderr).toBe(
      "error: couldn't execute function: MalformedYAMLError: yaml: line 1: did not find expected ',' or ']' \n",
    );
    t.file('f/kustomization.yaml', 'resources: [cm.yaml]\ngenerators: [fn.yaml]\n');
    expect((await run(t, ['f', '--enable-alpha-plugins'], { FAKE_RC: '1', FAKE_OUT: '/dev/null' })).stderr).toBe(
      "error: couldn't execute function: exit status 1\n",
    );
    const net = (mounts: string) =>
      `apiVersion: example.com/v1\nkind: Net\nmetadata:\n  name: n\n  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: x\n        network: true\n        mounts: [${mounts}]\n`;
    t.file('f/kustomization.yaml', 'transformers: [n.yaml]\n');
    t.file('f/n.yaml', net('{type: bind, src: /etc, dst: /e}'));
    expect((await run(t, ['f', '--enable-alpha-plugins'])).stderr).toBe(
      "error: plugin Net.v1.example.com/n.[noNs] with mount path '/etc' is not permitted; mount paths must be relative to the current kustomization directory\n",
    );
    t.file('f/n.yaml', net('{type: bind, src: d, dst: /e}'));
    expect((await run(t, ['f', '--enable-alpha-plugins'])).stderr).toBe(
      "error: couldn't execute function: network required but not enabled with --network \n",
    );
    expect((await run(t, ['f', '--enable-alpha-plugins', '--network', '-e', 'A=1', '-e', 'B'])).code).toBe(0);
    expect(readLog(t)).toBe(
      'ARGS: run --rm -i -a STDIN -a STDOUT -a STDERR --network host --user nobody --security-opt=no-new-privileges --mount type=bind,source=<dir>/f/d,target=/e,readonly -e A=1 -e LOG_TO_STDERR=true -e STRUCTURED_RESULTS=true -e B x\n',
    );
    t.file(
      'f/n.yaml',
      'apiVersion: example.com/v1\nkind: Bad\nmetadata:\n  name: n\n  annotations:\n    config.kubernetes.io/function: |\n      container:\n        imag: x\n',
    );
    expect((await run(t, ['f', '--enable-alpha-plugins'])).stderr).toBe(
      'error: loader: failed to get FunctionSpec: config.kubernetes.io/function unmarshal error: error unmarshaling JSON: while decoding JSON: json: unknown field "imag"\n',
    );
    t.file('f/n.yaml', 'apiVersion: example.com/v1\nkind: Plain\nmetadata:\n  name: p\n');
    expect((await run(t, ['f', '--enable-alpha-plugins'])).stderr).toBe(
      "error: unable to find plugin root - tried: ('<no value>'; homed in $KUSTOMIZE_PLUGIN_HOME), ('<no value>'; homed in $XDG_CONFIG_HOME), ('<dir>/.config/kustomize/plugin'; homed in default value of $XDG_CONFIG_HOME), ('<dir>/kustomize/plugin'; homed in home directory)\n",
    );
  });

  it('never runs an exec function (kubectl has no --enable-exec): resources pass through, a generator makes nothing', async () => {
    const t = tree();
    t.file('f/cm.yaml', CM);
    t.file('f/fn.sh', '#!/bin/sh\necho ran > "$FAKE_LOG"\n');
    fs.chmodSync(path.join(t.dir, 'f/fn.sh'), 0o755);
    t.file('f/fn.yaml', FN.replace('container:\n        image: example.com/set-label:v1', 'exec:\n        path: ./fn.sh'));
    t.file('f/kustomization.yaml', 'resources: [cm.yaml]\ntransformers: [fn.yaml]\ngenerators: [fn.yaml]\n');
    expect(await run(t, ['f', '--enable-alpha-plugins'])).toEqual({
      code: 0,
      stdout: 'apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: base\n',
      stderr: '',
    });
    expect(fs.existsSync(t.log)).toBe(false);
    expect((await run(t, ['f', '--enable-exec'])).stderr).toBe(
      "error: unknown flag: --enable-exec\nSee 'kubesim kustomize --help' for usage.\n",
    );
  });
});

describe.runIf(fs.existsSync(REAL_KUBECTL))('the same trees through kubectl v1.32', () => {
  it('prints, runs helm and docker with, and fails as kubesim does', async () => {
    const t = tree();
    t.file('h/kustomization.yaml', MINECRAFT);
    t.file('f/cm.yaml', CM);
    t.file('f/fn.yaml', FN);
    t.file('f/kustomization.yaml', 'resources: [cm.yaml]\ntransformers: [fn.yaml]\n');
    t.file('g/cm.yaml', CM);
    t.file('g/fn.yaml', FN);
    t.file('g/kustomization.yaml', 'resources: [cm.yaml]\ngenerators: [fn.yaml]\n');
    // a builtin HelmChartInflationGenerator config under generators:
    t.file(
      'hg/kustomization.yaml',
      'generators:\n- |-\n  apiVersion: builtin\n  kind: HelmChartInflationGenerator\n  metadata:\n    name: mc\n  name: minecraft\n  repo: https://example.com/charts\n  releaseName: r\n',
    );
    const cases: [string[], Record<string, string>][] = [
      [['hg'], {}],
      [['hg', '--enable-helm'], {}],
      // what helm prints before the first document: a comment is skipped, anything else fails
      [['h', '--enable-helm'], { FAKE_PRE: '# notes\n---' }],
      [['h', '--enable-helm'], { FAKE_PRE: 'NOTES: hello\n---' }],
      [['h', '--enable-helm'], { FAKE_PRE: 'hello world\n---' }],
      [['g', '--enable-alpha-plugins', '--as-current-user', '--mount', 'type=bind,src=.,dst=/x,rw=true'], {}],
      [['h', '--enable-helm'], {}],
      [['h', '--enable-helm', '--helm-debug', '--helm-kube-version', '1.30'], { FAKE_FAIL: '1' }],
      [['f', '--enable-alpha-plugins', '-e', 'X=1', '--network'], {}],
      [['f', '--enable-alpha-plugins'], { FAKE_RC: '2', FAKE_OUT: '/dev/null' }],
    ];
    for (const [args, env] of cases) {
      const clean = () => {
        for (const dir of ['h/charts', 'hg/charts']) fs.rmSync(path.join(t.dir, dir), { recursive: true, force: true });
        fs.rmSync(t.log, { force: true });
        fs.rmSync(`${t.log}.stdin`, { force: true });
      };
      clean();
      const ours = await run(t, args, env);
      const logs = () => ['', '.stdin'].map((suffix) => (fs.existsSync(t.log + suffix) ? readLog(t, suffix) : ''));
      const ourLogs = logs();
      clean();
      const real = spawnSync(REAL_KUBECTL, ['kustomize', ...args], { cwd: t.dir, env: t.env(env), encoding: 'utf8' });
      expect(ours, args.join(' ')).toEqual({
        code: real.status,
        stdout: real.stdout,
        stderr: normal(real.stderr).replaceAll(fs.realpathSync(t.dir), '<dir>'),
      });
      // the arguments, environment and values helm got; docker's arguments and the ResourceList on its stdin
      expect(ourLogs).toEqual(logs());
    }
  });
});
