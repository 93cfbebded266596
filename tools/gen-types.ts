/** `npm run gen-types`: regenerates src/model/generated/definitions.ts (see ./gen-types-lib.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate, OUT_FILE } from './gen-types-lib';

async function main(): Promise<void> {
  const text = await generate();
  fs.mkdirSync(path.dirname(OUT_FILE), { recursive: true });
  fs.writeFileSync(OUT_FILE, text);
  process.stderr.write(`wrote ${path.relative(path.join(__dirname, '..'), OUT_FILE)} (${text.split('\n').length} lines)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
