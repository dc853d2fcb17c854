import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run generate -- …` as an operator runs it: its own process, only this environment. */
export async function runGenerateCommand(
  args: readonly string[],
  env: Record<string, string>,
): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/generate.ts', ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 90_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CommandResult;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
