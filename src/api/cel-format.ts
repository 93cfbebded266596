import { CelScalar, celFunc, celList, celMethod, objectType, type CelFunc } from '@bufbuild/cel';
import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import type { ReflectMessage } from '@bufbuild/protobuf/reflect';
import { dns1035LabelErrors, dns1123LabelErrors, dns1123SubdomainErrors, labelValueErrors, qualifiedNameErrors } from './labels';
import { stringFormatValid } from './crd/schema-validate';
import { parseRequestURIError } from './cel-url';
import { OPTIONAL_TYPE, optionalNone, optionalOf } from './cel-optional';

/**
 * Kubernetes' `format` CEL library (apiserver/pkg/cel/library/format.go, in the base environment
 * since v1.31): `format.named(name)` (an optional Format), `format.<name>()` and
 * `<Format>.validate(s)`, which is optional.none() for a valid string and else the list of the
 * validation's messages, the same as the API's own name and label checks give.
 */

const FILE = create(FileDescriptorProtoSchema, {
  name: 'kubesim/format.proto',
  package: 'kubernetes',
  syntax: 'proto3',
  messageType: [
    {
      name: 'NamedFormat',
      field: [
        { name: 'name', jsonName: 'name', number: 1, type: FieldDescriptorProto_Type.STRING, label: FieldDescriptorProto_Label.OPTIONAL },
      ],
    },
  ],
});
export const FORMAT_MESSAGE: DescMessage = createFileRegistry(FILE, () => undefined).getMessage('kubernetes.NamedFormat')!;
const FORMAT_TYPE = objectType(FORMAT_MESSAGE);
const { STRING } = CelScalar;

/**
 * apimachinery's api/validation maskTrailingDash, used for generateName prefixes: a trailing dash
 * is replaced so the rest can be checked as a name (Go's `name[:len(name)-2] + "a"`, two
 * characters replaced by one, as the source has it).
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, name.length - 2)}a` : name;
}

const check = (ok: boolean, message: string) => (ok ? [] : [message]);

/** Each constant format: format.go's ConstantFormats. */
const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label: dns1123LabelErrors,
  dns1123Subdomain: dns1123SubdomainErrors,
  dns1035Label: dns1035LabelErrors,
  qualifiedName: qualifiedNameErrors,
  dns1123LabelPrefix: (s) => dns1123LabelErrors(maskTrailingDash(s)),
  dns1123SubdomainPrefix: (s) => dns1123SubdomainErrors(maskTrailingDash(s)),
  dns1035LabelPrefix: (s) => dns1035LabelErrors(maskTrailingDash(s)),
  labelValue: labelValueErrors,
  uri: (s) => {
    const error = parseRequestURIError(s);
    return error ? [error] : [];
  },
  uuid: (s) => check(stringFormatValid('uuid', s), 'does not match the UUID format'),
  byte: (s) => check(stringFormatValid('byte', s), 'invalid base64'),
  date: (s) => check(stringFormatValid('date', s), 'invalid date'),
  datetime: (s) => check(stringFormatValid('date-time', s), 'invalid datetime'),
};

const formatValue = (name: string) => create(FORMAT_MESSAGE, { name } as never);
const nameOf = (f: unknown) => ((f as ReflectMessage).message as unknown as { name: string }).name;

export const FORMAT_FUNCTIONS: CelFunc[] = [
  celFunc(
    'format.named',
    [STRING],
    OPTIONAL_TYPE,
    (name) => (Object.hasOwn(FORMATS, name) ? optionalOf(formatValue(name) as never) : optionalNone()) as never,
  ),
  ...Object.keys(FORMATS).map((name) => celFunc(`format.${name}`, [], FORMAT_TYPE, () => formatValue(name) as never)),
  celMethod('validate', FORMAT_TYPE, [STRING], OPTIONAL_TYPE, function (s) {
    const errors = FORMATS[nameOf(this)](s);
    return (errors.length ? optionalOf(celList(errors)) : optionalNone()) as never;
  }),
];
