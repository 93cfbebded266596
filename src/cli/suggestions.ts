import type { Command } from 'commander';

/** cobra's SuggestionsMinimumDistance default. */
const SUGGESTIONS_MINIMUM_DISTANCE = 2;

/** Levenshtein distance, case-insensitive (cobra's ld(s, t, true)). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1);
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, substitution));
    }
    previous = row;
  }
  return previous[t.length];
}

/** cobra's SuggestionsFor: subcommands within edit distance 2 of what was typed, or starting with it, in registration order. */
export function suggestionsFor(cmd: Command, typed: string): string[] {
  return cmd.commands
    .map((c) => c.name())
    .filter((name) => editDistance(typed, name) <= SUGGESTIONS_MINIMUM_DISTANCE || name.toLowerCase().startsWith(typed.toLowerCase()));
}

/** cobra's findSuggestions: the `Did you mean this?` block of an unknown command's error, or nothing. */
export function suggestionsText(cmd: Command, typed: string): string {
  const found = suggestionsFor(cmd, typed);
  return found.length ? `\n\nDid you mean this?\n${found.map((s) => `\t${s}\n`).join('')}` : '';
}
