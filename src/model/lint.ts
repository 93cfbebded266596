/**
 * `kubesim lint`'s checks and findings. The IDs are stable: CI configurations, SARIF rule ids
 * and suppressions name them, so a check is never renamed, only added or retired.
 */
export type LintSeverity = 'error' | 'warning';

export interface LintCheck {
  id: string;
  /** read from the YAML alone, or only by running the manifests on a scratch cluster */
  mode: 'static' | 'simulated';
  severity: LintSeverity;
  /** one line: what goes wrong in a cluster */
  why: string;
  /** one line: what to change */
  fix: string;
}

export interface LintObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

export interface LintFinding {
  check: string;
  severity: LintSeverity;
  /** the object the finding is about */
  object: LintObjectRef;
  message: string;
  /** the other objects it names (the Service of a selector, the Deployment of a PDB…) */
  related?: LintObjectRef[];
  /** where in the input: the file as given, and the field's 1-based line and column */
  file?: string;
  line?: number;
  column?: number;
  /** simulated checks: the events and conditions that proved it, as `kubectl describe` shows them */
  evidence?: string[];
}

export const LINT_CHECKS: LintCheck[] = [
  // static: the manifests as written
  {
    id: 'missing-requests',
    mode: 'static',
    severity: 'warning',
    why: 'without CPU and memory requests the scheduler packs pods blindly, the HPA cannot compute utilisation and the pod is the first evicted under pressure',
    fix: 'set resources.requests.cpu and resources.requests.memory on every container',
  },
  {
    id: 'missing-limits',
    mode: 'static',
    severity: 'warning',
    why: 'a container without a memory limit can take a node’s memory until the kernel kills its neighbours',
    fix: 'set resources.limits.memory (and resources.limits.cpu if the workload must not burst)',
  },
  {
    id: 'missing-probes',
    mode: 'static',
    severity: 'warning',
    why: 'a Service sends traffic to pods that are not ready yet, and a hung container is never restarted',
    fix: 'add a readinessProbe and a livenessProbe to each container of a Deployment a Service selects',
  },
  {
    id: 'latest-tag',
    mode: 'static',
    severity: 'warning',
    why: 'an untagged or :latest image changes under you: two pods of one ReplicaSet can run different code and a rollback restores nothing',
    fix: 'pin the image to a version tag or a digest (image: nginx:1.27 or nginx@sha256:…)',
  },
  {
    id: 'pull-always-digest',
    mode: 'static',
    severity: 'warning',
    why: 'an image pinned by digest never changes, so imagePullPolicy: Always only adds a registry round-trip (and a failure point) to every start',
    fix: 'use imagePullPolicy: IfNotPresent with a digest',
  },
  {
    id: 'pvc-in-deployment',
    mode: 'static',
    severity: 'warning',
    why: 'the replicas of a Deployment share one PersistentVolumeClaim: a ReadWriteOnce volume attaches to one node, and the replicas are a stateful workload with no identity',
    fix: 'use a StatefulSet with volumeClaimTemplates (one claim per replica), or run one replica',
  },
  {
    id: 'service-selector-mismatch',
    mode: 'static',
    severity: 'error',
    why: 'a Service whose selector matches no pod template has no endpoints: every connection to it is refused',
    fix: 'make spec.selector a subset of the labels of the pod template it should serve',
  },
  {
    id: 'ingress-backend-missing',
    mode: 'static',
    severity: 'error',
    why: 'an Ingress or HTTPRoute backend that names no Service (or a port the Service lacks) answers 503/404 for its paths',
    fix: 'name a Service in the same namespace and one of its ports (by number or name)',
  },
  {
    id: 'missing-pdb',
    mode: 'static',
    severity: 'warning',
    why: 'without a PodDisruptionBudget a node drain or cluster upgrade may evict every replica at once',
    fix: 'add a PodDisruptionBudget selecting the workload’s pods (e.g. maxUnavailable: 1)',
  },
  {
    id: 'probe-restart-storm',
    mode: 'static',
    severity: 'error',
    why: 'the liveness probe gives up (initialDelaySeconds + periodSeconds × failureThreshold) before the container has started, so it is killed and restarted forever',
    fix: 'add a startupProbe whose budget covers the start-up time, or raise the liveness probe’s initialDelaySeconds/failureThreshold',
  },
  {
    id: 'pod-security',
    mode: 'static',
    severity: 'warning',
    why: 'the pod template breaks a Pod Security Standard: its pods are refused in a namespace that enforces the level (baseline unless the namespace in the input says otherwise)',
    fix: 'drop privileged/host namespaces/added capabilities; set runAsNonRoot and a seccomp profile for restricted',
  },
  // simulated: the manifests applied to a scratch cluster and run in virtual time
  {
    id: 'api-rejected',
    mode: 'simulated',
    severity: 'error',
    why: 'the API server refuses the object (validation or admission), so applying the set fails',
    fix: 'correct the field the API server names',
  },
  {
    id: 'never-schedulable',
    mode: 'simulated',
    severity: 'error',
    why: 'no node of the cluster can take the pod: it stays Pending',
    fix: 'lower its requests, relax its node selector/affinity/tolerations, or add nodes that fit',
  },
  {
    id: 'pdb-blocks-drain',
    mode: 'simulated',
    severity: 'error',
    why: 'with every pod healthy the PodDisruptionBudget allows no disruption, so every eviction is refused and a node drain never finishes',
    fix: 'leave room for one disruption: minAvailable below the replicas, or maxUnavailable of at least 1',
  },
  {
    id: 'rollout-stalls',
    mode: 'simulated',
    severity: 'error',
    why: 'the next rolling update cannot make progress: maxUnavailable 0 keeps every old pod while the surge pod does not fit',
    fix: 'allow maxUnavailable of at least 1, or leave room on the nodes for the surge pods',
  },
  {
    id: 'hpa-inert',
    mode: 'simulated',
    severity: 'error',
    why: 'the HorizontalPodAutoscaler can never act on its target',
    fix: 'point scaleTargetRef at an existing workload and give its containers requests for the metric’s resource',
  },
  {
    id: 'zone-failure-pending',
    mode: 'simulated',
    severity: 'warning',
    why: 'when one zone fails, the topology spread constraint (DoNotSchedule) keeps the replacement replicas Pending instead of placing them in the zones left',
    fix: 'use whenUnsatisfiable: ScheduleAnyway, a larger maxSkew, or minDomains that the zones left can satisfy',
  },
  {
    id: 'cronjob-forbid-overlap',
    mode: 'simulated',
    severity: 'warning',
    why: 'each run of the CronJob lasts longer than its schedule’s interval, so with concurrencyPolicy Forbid every other run (or more) is skipped, forever',
    fix: 'space the schedule wider than a run lasts, or bound a run with activeDeadlineSeconds',
  },
];

export function lintCheck(id: string): LintCheck {
  const check = LINT_CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`unknown lint check ${id}`);
  return check;
}

/** Findings in the order they are reported: by file, line and column, then check and object. */
export function sortFindings(findings: LintFinding[]): LintFinding[] {
  const key = (f: LintFinding) => [
    f.file ?? '\uffff',
    f.line ?? 0,
    f.column ?? 0,
    f.check,
    f.object.namespace ?? '',
    f.object.kind,
    f.object.name,
  ];
  return [...findings].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] === kb[i]) continue;
      return ka[i] < kb[i] ? -1 : 1;
    }
    return 0;
  });
}
