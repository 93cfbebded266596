import { registerAdmissionPlugin } from '../admission';
import { admitThroughWebhooks } from '../admission-webhooks';

/** ValidatingAdmissionWebhook: the ValidatingWebhookConfigurations' matching webhooks. */
registerAdmissionPlugin({ name: 'ValidatingAdmissionWebhook', admit: admitThroughWebhooks('ValidatingWebhookConfiguration') });
