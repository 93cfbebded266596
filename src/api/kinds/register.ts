// Kind modules register their strategy through here. Importing the declarations first means a
// module imported on its own (a controller importing a pod helper, a unit test) finds its kind
// declared, and registerKind reads the kind's names from that one declaration. (api/kinds/index.ts
// loads the modules only on demand, so this import cycle is never entered twice.)
import './index';

export { registerKind } from '../registry';
