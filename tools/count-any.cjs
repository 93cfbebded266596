#!/usr/bin/env node
// Counts how much of src is untyped, per top-level folder, with the compiler's own view:
//   explicit  - `any` written in a type position (comments never count: this walks the AST)
//   fields    - references to the `Fields` type (Record<string, any>)
//   anyReads  - property/element reads whose type is `any` (obj.spec.foo, c.name on a Fields…):
//               the implicit uses that typing the object model removes
// Usage: node tools/count-any.cjs [--files]   (--files lists the files with anyReads)
'use strict';
const path = require('path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const configPath = path.join(root, 'tsconfig.json');
const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const program = ts.createProgram(config.fileNames, config.options);
const checker = program.getTypeChecker();

const totals = {};
const perFile = [];
for (const sf of program.getSourceFiles()) {
  const rel = path.relative(root, sf.fileName);
  if (!rel.startsWith('src' + path.sep)) continue;
  const folder = rel.split(path.sep).slice(0, 2).join('/');
  const t = (totals[folder] ??= { explicit: 0, fields: 0, anyReads: 0 });
  let fileReads = 0;
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) t.explicit++;
    else if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === 'Fields') t.fields++;
    else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const type = checker.getTypeAtLocation(node);
      if (type.flags & ts.TypeFlags.Any) {
        t.anyReads++;
        fileReads++;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (fileReads) perFile.push([fileReads, rel]);
}

const sum = { explicit: 0, fields: 0, anyReads: 0 };
console.log('folder'.padEnd(20), 'explicit'.padStart(9), 'Fields'.padStart(7), 'anyReads'.padStart(9));
for (const folder of Object.keys(totals).sort()) {
  const t = totals[folder];
  for (const k of Object.keys(sum)) sum[k] += t[k];
  console.log(folder.padEnd(20), String(t.explicit).padStart(9), String(t.fields).padStart(7), String(t.anyReads).padStart(9));
}
console.log('total'.padEnd(20), String(sum.explicit).padStart(9), String(sum.fields).padStart(7), String(sum.anyReads).padStart(9));
if (process.argv.includes('--files')) for (const [n, f] of perFile.sort((a, b) => b[0] - a[0])) console.log(String(n).padStart(6), f);
