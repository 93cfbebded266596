/**
 * kubectl flags kubesim does not accept, each with the reason. test/unit/flag-parity.test.ts
 * fails when a verb lacks a kubectl flag that is not listed here, or lists one it now accepts:
 * shrink this file as flags land. Every flag kubectl v1.32 lists is accepted now, so it is empty;
 * an entry reads `kustomize: { 'enable-helm': 'why kubesim cannot take it' }`.
 */
export const FLAG_EXCEPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {};
