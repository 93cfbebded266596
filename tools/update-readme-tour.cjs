#!/usr/bin/env node
'use strict';
/*
 * Rewrites the outputs in README.md's "A 2-minute tour" from a real run of its `$ kubesim …`
 * lines (the built dist/, a fresh clone's fixtures/ and HOME, `cd`/`export` as a shell), the way
 * test/scenarios/readme.test.ts replays them. Run after a change that alters what the tour
 * prints: `npm run build && node tools/update-readme-tour.cjs`, then read the diff.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { main } = require('../dist/cli/main.js');
const { BufferIO } = require('../dist/cli/io.js');

const root = path.resolve(__dirname, '..');
const words = (command) => [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);

async function run() {
  const readmePath = path.join(root, 'README.md');
  const readme = fs.readFileSync(readmePath, 'utf8');
  const start = readme.indexOf('## A 2-minute tour');
  const end = readme.indexOf('\n## ', start + 5);
  // a fresh clone: fixtures/ and an empty HOME; `cd` and `export` lines act as in a shell
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-readme-'));
  fs.mkdirSync(path.join(dir, 'fixtures'));
  fs.mkdirSync(path.join(dir, 'home'));
  for (const f of fs.readdirSync(path.join(root, 'fixtures')))
    if (f.endsWith('.yaml')) fs.copyFileSync(path.join(root, 'fixtures', f), path.join(dir, 'fixtures', f));
  const env = { HOME: path.join(dir, 'home') };
  let cwd = dir;
  const blocks = [...readme.slice(start, end).matchAll(/```console\n([\s\S]*?)```/g)];
  let tour = readme.slice(start, end);
  for (const block of blocks) {
    const out = [];
    const lines = block[1].split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith('$ ')) continue;
      // the blank lines the block had between this step's output and the next step stay as they were
      let j = i + 1;
      while (j < lines.length && !lines[j].startsWith('$ ')) j++;
      let blanks = 0;
      while (j - 1 - blanks > i && lines[j - 1 - blanks] === '') blanks++;
      const [bin, ...args] = words(lines[i].slice(2));
      if (bin === 'cd' || bin === 'export') {
        if (bin === 'cd') cwd = path.resolve(cwd, args[0]);
        else for (const assignment of args) env[assignment.split('=')[0]] = assignment.slice(assignment.indexOf('=') + 1);
        out.push(lines[i], ...Array(blanks).fill(''));
        continue;
      }
      const io = new BufferIO({ ...env }, cwd, '');
      await main(args, io);
      const text = `${io.stdout}${io.stderr}`.replace(/\n+$/, '');
      out.push(lines[i], ...(text ? text.split('\n') : []), ...Array(blanks).fill(''));
    }
    tour = tour.replace(block[1], `${out.join('\n')}${block[1].endsWith('\n') ? '' : ''}`);
  }
  fs.writeFileSync(readmePath, readme.slice(0, start) + tour + readme.slice(end));
  fs.rmSync(dir, { recursive: true, force: true });
}

run().catch((e) => {
  console.error(e);
  process.exit(1);
});
