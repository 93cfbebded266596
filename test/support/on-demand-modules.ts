// The in-process test runner cannot require() a TypeScript module: the modules src/ loads on
// demand (util/on-demand) are imported here and handed over before any test runs.
import { provideModule } from '../../src/util/on-demand';
import * as applier from '../../src/engine/applier';
import * as controllers from '../../src/engine/controllers';
import * as server from '../../src/api/server';
import * as bootstrapPolicy from '../../src/sim/bootstrap-policy';
import * as customKinds from '../../src/api/crd/custom-kinds';
import * as manifests from '../../src/cli/manifests';
import * as applyObject from '../../src/cli/apply-object';
import * as kustomizeBuild from '../../src/kustomize/build';
import * as goTemplate from '../../src/printers/go-template/template';
import * as goTemplateFmt from '../../src/printers/go-template/fmt';
import * as goTemplateValues from '../../src/printers/go-template/values';

/** every id src/ passes to onDemand, with its module */
export const ON_DEMAND_MODULES: Record<string, unknown> = {
  'engine/applier': applier,
  'engine/controllers': controllers,
  'api/server': server,
  'sim/bootstrap-policy': bootstrapPolicy,
  'api/crd/custom-kinds': customKinds,
  'cli/manifests': manifests,
  'cli/apply-object': applyObject,
  'kustomize/build': kustomizeBuild,
  'printers/go-template/template': goTemplate,
  'printers/go-template/fmt': goTemplateFmt,
  'printers/go-template/values': goTemplateValues,
};
for (const [id, mod] of Object.entries(ON_DEMAND_MODULES)) provideModule(id, mod);
