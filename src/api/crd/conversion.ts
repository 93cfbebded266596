import { ApiError } from '../../util/errors';
import { orEmpty, type KObject } from '../../model/objects';
import type { ConversionServiceReference } from '../../model/k8s';
import type { CustomResourceDefinition } from '../../model/kinds';
import type { ObjectReader } from '../../model/object-reader';
import { serviceUnreachable } from '../admission-webhooks';

/**
 * A custom resource converted between the versions its CRD serves, as the API server's CR
 * converter does it (apiextensions-apiserver/pkg/apiserver/conversion): an object already in the
 * asked version is left alone; strategy None changes only its apiVersion (nop_converter.go);
 * strategy Webhook posts a ConversionReview to the CRD's webhook (webhook_converter.go).
 *
 * kubesim cannot run the webhook's code. A webhook whose Service has a ready endpoint (or a `url`
 * outside the cluster, where kubesim cannot look) converts by rewriting apiVersion — the field
 * changes a real webhook makes between versions are not simulated; one whose Service cannot be
 * reached fails the conversion with the API server's text:
 * `conversion webhook for example.com/v1, Kind=Widget failed: Post "https://conv.ns.svc:443/convert?timeout=30s": no endpoints available for service "conv"`.
 */

/** The conversion webhook client's timeout (webhook_converter.go's rest client: 30 s), shown in the URL. */
const WEBHOOK_TIMEOUT = '30s';

/** Why a conversion failed: the converter's message, surfaced by a read or a write in its own way. */
export class ConversionError extends Error {}

/** `example.com/v1, Kind=Widget`: how Go prints a GroupVersionKind. */
function gvkText(apiVersion: string, kind: string): string {
  return `${apiVersion}, Kind=${kind}`;
}

/** The URL the API server posts the ConversionReview to (webhook.ClientConfigService: path as given, else `/`). */
function serviceUrl(service: ConversionServiceReference): string {
  return `https://${service.name}.${service.namespace}.svc:${service.port ?? 443}${service.path || '/'}?timeout=${WEBHOOK_TIMEOUT}`;
}

/**
 * Checks that `obj` (apiVersion and kind as stored, or as sent) can be converted to `apiVersion`
 * under the CRD's conversion strategy, throwing a ConversionError as the converter fails.
 */
export function checkConversion(crd: CustomResourceDefinition, store: ObjectReader, obj: KObject, apiVersion: string): void {
  if (obj.apiVersion === apiVersion) return;
  const conversion = orEmpty(crd.spec?.conversion);
  if (conversion.strategy !== 'Webhook') return;
  const service = conversion.webhook?.clientConfig?.service;
  if (!service) return;
  const problem = serviceUnreachable(store, service);
  if (!problem) return;
  throw new ConversionError(
    `conversion webhook for ${gvkText(String(obj.apiVersion), String(obj.kind))} failed: Post "${serviceUrl(service)}": ${problem}`,
  );
}

/** The object in `apiVersion` (a copy when it changes): checkConversion, then the new apiVersion. */
export function convertCustomResource(crd: CustomResourceDefinition, store: ObjectReader, obj: KObject, apiVersion: string): KObject {
  checkConversion(crd, store, obj, apiVersion);
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}

/** A read that needed a conversion and could not have it: the handler's 500 with no reason (`Error from server: …`). */
export function conversionReadError(e: ConversionError): ApiError {
  return new ApiError('', 500, `Error from server: ${e.message}`);
}

/** A write whose object could not be converted to the storage version: `Internal error occurred: …`. */
export function conversionWriteError(e: ConversionError): ApiError {
  return new ApiError('InternalError', 500, `Error from server (InternalError): Internal error occurred: ${e.message}`);
}
