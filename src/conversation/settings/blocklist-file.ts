import { readFile } from 'node:fs/promises';
import { ruleProblem } from './prompt-rules.js';

export type BlocklistFileResult = { entries: string[] } | { problem: string };

/**
 * PROMPT_BLOCKLIST_FILE, read once at start-up: one entry per line, `#` starts a comment line,
 * blank lines are skipped. A file that cannot be read or holds a bad rule gives one operator line
 * naming the file, the line and the fix, for the composition root to report as a config error.
 */
export async function readBlocklistFile(path: string): Promise<BlocklistFileResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return {
      problem: `PROMPT_BLOCKLIST_FILE ${path} cannot be read (${reason}): point it at a readable text file with one blocked word or re:pattern per line, or leave it empty`,
    };
  }
  const entries: string[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const entry = line.trim();
    if (entry === '' || entry.startsWith('#')) continue;
    const reason = ruleProblem(entry);
    if (reason) {
      return {
        problem: `PROMPT_BLOCKLIST_FILE ${path} line ${index + 1}: "${entry}" is refused, as ${reason}; fix or remove that line`,
      };
    }
    entries.push(entry);
  }
  return { entries: [...new Set(entries)] };
}
