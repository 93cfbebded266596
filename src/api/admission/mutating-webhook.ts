import { registerAdmissionPlugin } from '../admission';
import { admitThroughWebhooks } from '../admission-webhooks';

/** MutatingAdmissionWebhook (kubesim cannot apply the patch a real webhook returns: a reachable one admits unchanged). */
registerAdmissionPlugin({ name: 'MutatingAdmissionWebhook', admit: admitThroughWebhooks('MutatingWebhookConfiguration') });
