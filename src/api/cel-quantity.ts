import { CelScalar, celFunc, celMethod, objectType, type CelFunc } from '@bufbuild/cel';
import { create, createFileRegistry, createRegistry, type DescMessage, type Registry } from '@bufbuild/protobuf';
import {
  AnySchema,
  DurationSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
  TimestampSchema,
  file_google_protobuf_struct,
  file_google_protobuf_wrappers,
} from '@bufbuild/protobuf/wkt';
import type { ReflectMessage } from '@bufbuild/protobuf/reflect';
import { isQuantity } from './quantity';
import { parseQuantityExact } from './quantity-exact';
import { NET_MESSAGES } from './cel-net';
import { URL_MESSAGE } from './cel-url';
import { OPTIONAL_MESSAGE } from './cel-optional';
import { FORMAT_MESSAGE } from './cel-format';

/**
 * Kubernetes' `quantity` CEL library (apiserver/pkg/cel/library/quantity.go, v1.32): the
 * `kubernetes.Quantity` type with quantity(), isQuantity(), sign(), isInteger(), asInteger(),
 * asApproximateFloat(), isGreaterThan(), isLessThan(), compareTo(), add() and sub().
 *
 * @bufbuild/cel has no value types of its own besides protobuf messages, so a Quantity is a
 * message `kubernetes.Quantity` holding its exact value in nano units: equality of two
 * quantities is then their values' (resource.Quantity.Equal: `1` == `1000m`).
 */

const FILE = create(FileDescriptorProtoSchema, {
  name: 'kubesim/kubernetes_cel.proto',
  package: 'kubernetes',
  syntax: 'proto3',
  messageType: [
    {
      name: 'Quantity',
      field: [
        { name: 'nano', jsonName: 'nano', number: 1, type: FieldDescriptorProto_Type.STRING, label: FieldDescriptorProto_Label.OPTIONAL },
      ],
    },
  ],
});
const QUANTITY: DescMessage = createFileRegistry(FILE, () => undefined).getMessage('kubernetes.Quantity')!;

/** The registry @bufbuild/cel's environment uses: its well-known types, kubernetes.Quantity and the other library types. */
export const CEL_REGISTRY: Registry = createRegistry(
  TimestampSchema,
  DurationSchema,
  AnySchema,
  file_google_protobuf_wrappers,
  file_google_protobuf_struct,
  QUANTITY,
  ...NET_MESSAGES,
  URL_MESSAGE,
  OPTIONAL_MESSAGE,
  FORMAT_MESSAGE,
);

const Q = objectType(QUANTITY);
const { INT, DOUBLE, STRING, BOOL } = CelScalar;
const MAX_INT = 2n ** 63n - 1n;
const MIN_INT = -(2n ** 63n);
const NANO = 1_000_000_000n;

// resource.ParseQuantity's error (ErrFormatWrong)
const FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function quantity(nano: bigint) {
  return create(QUANTITY, { nano: String(nano) } as never);
}

function nanoOf(q: unknown): bigint {
  const m = (q as ReflectMessage).message as unknown as { nano: string };
  return BigInt(m.nano);
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

export const QUANTITY_FUNCTIONS: CelFunc[] = [
  celFunc('quantity', [STRING], Q, (s) => {
    if (!isQuantity(s) || s !== s.trim()) throw new Error(FORMAT_WRONG);
    return quantity(parseQuantityExact(s).nano) as never;
  }),
  celFunc('isQuantity', [STRING], BOOL, (s) => s === s.trim() && isQuantity(s)),
  celMethod('sign', Q, [], INT, function () {
    return BigInt(cmp(nanoOf(this), 0n));
  }),
  celMethod('isInteger', Q, [], BOOL, function () {
    const n = nanoOf(this);
    return n % NANO === 0n && n / NANO <= MAX_INT && n / NANO >= MIN_INT;
  }),
  celMethod('asInteger', Q, [], INT, function () {
    const n = nanoOf(this);
    if (n % NANO !== 0n || n / NANO > MAX_INT || n / NANO < MIN_INT) throw new Error('cannot convert value to integer');
    return n / NANO;
  }),
  celMethod('asApproximateFloat', Q, [], DOUBLE, function () {
    return Number(nanoOf(this)) / 1e9;
  }),
  celMethod('isGreaterThan', Q, [Q], BOOL, function (o) {
    return cmp(nanoOf(this), nanoOf(o)) === 1;
  }),
  celMethod('isLessThan', Q, [Q], BOOL, function (o) {
    return cmp(nanoOf(this), nanoOf(o)) === -1;
  }),
  celMethod('compareTo', Q, [Q], INT, function (o) {
    return BigInt(cmp(nanoOf(this), nanoOf(o)));
  }),
  celMethod('add', Q, [Q], Q, function (o) {
    return quantity(nanoOf(this) + nanoOf(o)) as never;
  }),
  celMethod('add', Q, [INT], Q, function (i) {
    return quantity(nanoOf(this) + i * NANO) as never;
  }),
  celMethod('sub', Q, [Q], Q, function (o) {
    return quantity(nanoOf(this) - nanoOf(o)) as never;
  }),
  celMethod('sub', Q, [INT], Q, function (i) {
    return quantity(nanoOf(this) - i * NANO) as never;
  }),
];
