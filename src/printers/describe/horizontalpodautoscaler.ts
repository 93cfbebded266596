import type { HorizontalPodAutoscaler } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { orEmpty } from '../../model/objects';
import type { HPAScalingRules, MetricSpec, MetricStatus } from '../../model/k8s';
import { canonicalQuantity } from '../../api/quantity-exact';
import { rfc1123z, writeEvents } from './format';

/** Quantity.String() of a metric value, `<unknown>` when the status has none. */
function quantity(v: unknown): string {
  return v === undefined || v === null ? '<unknown>' : canonicalQuantity(v as string | number);
}

type MetricSpecTarget = NonNullable<MetricSpec['resource']>['target'];

/** One spec metric and its current value (same index in status.currentMetrics), as describe writes it. */
function writeMetric(w: DescribeWriter, metric: MetricSpec, current: MetricStatus | undefined): void {
  switch (metric.type) {
    case 'External': {
      const target = orEmpty(metric.external?.target);
      const now = current?.external?.current;
      if (target.averageValue !== undefined)
        w.write(
          1,
          `"${metric.external?.metric?.name}" (target average value):\t${now?.averageValue !== undefined ? quantity(now.averageValue) : '<unknown>'} / ${quantity(target.averageValue)}\n`,
        );
      else
        w.write(
          1,
          `"${metric.external?.metric?.name}" (target value):\t${current?.external ? quantity(now?.value) : '<unknown>'} / ${quantity(target.value)}\n`,
        );
      return;
    }
    case 'Pods':
      w.write(
        1,
        `"${metric.pods?.metric?.name}" on pods:\t${current?.pods ? quantity(current.pods.current?.averageValue) : '<unknown>'} / ${quantity(metric.pods?.target?.averageValue)}\n`,
      );
      return;
    case 'Object': {
      const o = orEmpty(metric.object);
      w.write(1, `"${o.metric?.name}" on ${o.describedObject?.kind}/${o.describedObject?.name} `);
      const now = current?.object ? current.object.current : undefined;
      if (o.target?.type === 'AverageValue')
        w.write(0, `(target average value):\t${now ? quantity(now.averageValue) : '<unknown>'} / ${quantity(o.target.averageValue)}\n`);
      else w.write(0, `(target value):\t${now ? quantity(now.value) : '<unknown>'} / ${quantity(o.target?.value)}\n`);
      return;
    }
    case 'Resource':
    case 'ContainerResource': {
      const source: { name?: string; container?: string; target?: MetricSpecTarget } =
        metric.type === 'Resource' ? orEmpty(metric.resource) : orEmpty(metric.containerResource);
      const now = metric.type === 'Resource' ? current?.resource : current?.containerResource;
      w.write(
        1,
        metric.type === 'Resource'
          ? `resource ${source.name} on pods`
          : `resource ${source.name} of container "${source.container}" on pods`,
      );
      if (source.target?.averageValue !== undefined) {
        w.write(0, `:\t${now ? quantity(now.current?.averageValue) : '<unknown>'} / ${quantity(source.target.averageValue)}\n`);
        return;
      }
      const currentText =
        now && now.current?.averageUtilization !== undefined
          ? `${now.current.averageUtilization}% (${quantity(now.current.averageValue)})`
          : '<unknown>';
      const target = source.target?.averageUtilization !== undefined ? `${source.target.averageUtilization}%` : '<auto>';
      w.write(1, `(as a percentage of request):\t${currentText} / ${target}\n`);
      return;
    }
    default:
      w.write(1, `<unknown metric type "${metric.type}">\n`);
  }
}

/** printDirectionBehavior */
function writeBehavior(w: DescribeWriter, direction: string, rules: HPAScalingRules | undefined): void {
  if (!rules) return;
  w.write(1, `${direction}:\n`);
  if (rules.stabilizationWindowSeconds !== undefined) w.write(2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  const policies = rules.policies ?? [];
  if (!policies.length) return;
  w.write(2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
  w.write(2, 'Policies:\n');
  for (const p of policies) w.write(3, `- Type: ${p.type}\tValue: ${p.value}\tPeriod: ${p.periodSeconds} seconds\n`);
}

/** kubectl's describeHorizontalPodAutoscalerV2. */
export function describeHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const spec = hpa.spec ?? {};
  const status = orEmpty(hpa.status);
  w.write(0, `Name:\t${hpa.metadata.name}\n`);
  w.write(0, `Namespace:\t${hpa.metadata.namespace ?? ''}\n`);
  w.map(0, 'Labels', hpa.metadata.labels);
  w.annotations(0, hpa.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(hpa.metadata.creationTimestamp)}\n`);
  w.write(0, `Reference:\t${spec.scaleTargetRef?.kind}/${spec.scaleTargetRef?.name}\n`);
  w.write(0, 'Metrics:\t( current / target )\n');
  const metrics = spec.metrics ?? [];
  const currentMetrics = status.currentMetrics ?? [];
  metrics.forEach((m, i) => writeMetric(w, m, currentMetrics[i]));
  w.write(0, `Min replicas:\t${spec.minReplicas ?? '<unset>'}\n`);
  w.write(0, `Max replicas:\t${spec.maxReplicas ?? 0}\n`);
  if (spec.behavior) {
    w.write(0, 'Behavior:\n');
    writeBehavior(w, 'Scale Up', spec.behavior.scaleUp);
    writeBehavior(w, 'Scale Down', spec.behavior.scaleDown);
  }
  w.write(0, `${spec.scaleTargetRef?.kind} pods:\t${status.currentReplicas ?? 0} current / ${status.desiredReplicas ?? 0} desired\n`);
  const conditions = status.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tReason\tMessage\n');
    w.write(1, '----\t------\t------\t-------\n');
    for (const c of conditions) w.write(1, `${c.type}\t${c.status}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  writeEvents(w, ctx.events(hpa), ctx.now);
  return w.toString();
}

registerDescriber('HorizontalPodAutoscaler', () => describeHorizontalPodAutoscaler);
