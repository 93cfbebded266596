import { LINT_CHECKS, lintCheck, type LintFinding, type LintObjectRef } from '../model/lint';

function objectText(o: LintObjectRef): string {
  return o.namespace ? `${o.kind} ${o.namespace}/${o.name}` : `${o.kind} ${o.name}`;
}

function placeText(f: LintFinding): string {
  if (f.file === undefined) return '';
  return f.line !== undefined ? `${f.file}:${f.line}:${f.column ?? 1}: ` : `${f.file}: `;
}

/**
 * `file:line:col: severity check: Kind ns/name: message` (the compiler-style line editors and CI
 * logs link), then the evidence a simulation found and the check's why and fix. Nothing at all
 * for a clean input.
 */
export function renderLintText(findings: LintFinding[]): string {
  if (!findings.length) return '';
  const lines: string[] = [];
  for (const f of findings) {
    const check = lintCheck(f.check);
    lines.push(`${placeText(f)}${f.severity} ${f.check}: ${objectText(f.object)}: ${f.message}`);
    for (const e of f.evidence ?? []) lines.push(`    evidence: ${e}`);
    lines.push(`    why: ${check.why}`);
    lines.push(`    fix: ${check.fix}`);
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  lines.push('');
  lines.push(`${plural(findings.length, 'finding')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return `${lines.join('\n')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `-o json`: the findings with their check's why and fix, and the counts. */
export function lintJson(findings: LintFinding[]): unknown {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    findings: findings.map((f) => {
      const check = lintCheck(f.check);
      return { ...f, mode: check.mode, why: check.why, fix: check.fix };
    }),
    summary: { errors, warnings: findings.length - errors },
  };
}

/** A file path as a SARIF artifact URI: relative, forward slashes, each segment percent-encoded. */
function artifactUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * `-o sarif`: SARIF 2.1.0 (OASIS), one run whose driver lists every check as a rule, each
 * finding a result with the rule's index, its level, and the file/line/column that code hosts
 * (GitHub code scanning, GitLab) annotate; the object is the result's logical location.
 */
export function lintSarif(findings: LintFinding[], toolVersion: string): unknown {
  const index = new Map(LINT_CHECKS.map((c, i) => [c.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubesim-lint',
            version: toolVersion,
            rules: LINT_CHECKS.map((c) => ({
              id: c.id,
              name: c.id
                .split('-')
                .map((w) => w[0].toUpperCase() + w.slice(1))
                .join(''),
              shortDescription: { text: c.why },
              help: { text: c.fix },
              defaultConfiguration: { level: c.severity },
              properties: { tags: [c.mode] },
            })),
          },
        },
        results: findings.map((f) => {
          const text = [f.message, ...(f.evidence ?? []).map((e) => `evidence: ${e}`)].join('\n');
          const logical = {
            name: f.object.name,
            fullyQualifiedName: [f.object.namespace, f.object.kind, f.object.name].filter((p) => p !== undefined).join('/'),
            kind: 'resource',
          };
          const physical =
            f.file !== undefined
              ? {
                  physicalLocation: {
                    artifactLocation: { uri: artifactUri(f.file) },
                    ...(f.line !== undefined ? { region: { startLine: f.line, startColumn: f.column ?? 1 } } : {}),
                  },
                }
              : {};
          return {
            ruleId: f.check,
            ruleIndex: index.get(f.check),
            level: f.severity,
            message: { text },
            locations: [{ ...physical, logicalLocations: [logical] }],
            ...(f.related?.length || f.evidence?.length
              ? {
                  properties: {
                    ...(f.related?.length ? { related: f.related } : {}),
                    ...(f.evidence?.length ? { evidence: f.evidence } : {}),
                  },
                }
              : {}),
          };
        }),
      },
    ],
  };
}
