import { registerAdmissionPlugin } from '../admission';
import { webhookAdmission } from '../admission-webhooks';

/** MutatingAdmissionWebhook (kubesim cannot apply the patch a real webhook returns: a reachable one admits unchanged). */
registerAdmissionPlugin(webhookAdmission('MutatingAdmissionWebhook', 'MutatingWebhookConfiguration'));
