import { registerAdmissionPlugin } from '../admission';
import { webhookAdmission } from '../admission-webhooks';

/** ValidatingAdmissionWebhook: the ValidatingWebhookConfigurations' matching webhooks. */
registerAdmissionPlugin(webhookAdmission('ValidatingAdmissionWebhook', 'ValidatingWebhookConfiguration'));
