import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';

const ROOT = path.resolve(__dirname, '../..');

/** The compiled entry points (`npm test` builds first); tests run them as a user or an operator would. */
export function built(file: 'main' | 'cli'): string {
  const entry = path.join(ROOT, 'dist/src', file === 'main' ? 'main.js' : 'cli/roster.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run the tests with npm test (it builds first)`);
  return entry;
}

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves when stdout contains `text` (or rejects after `ms`). */
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
}

export function run(file: 'main' | 'cli', args: string[], env: Record<string, string | undefined>): Spawned {
  const child = spawn(process.execPath, [built(file), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(text, ms = 20_000) {
      const started = Date.now();
      const seen = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
      while (!seen()) {
        if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}): ${err || out}`);
        if (Date.now() - started > ms) throw new Error(`timed out waiting for ${text}; stdout: ${out}; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Runs a command to completion. */
export async function runToEnd(file: 'main' | 'cli', args: string[], env: Record<string, string | undefined>) {
  const spawned = run(file, args, env);
  const code = await spawned.exited;
  return { code, stdout: spawned.stdout(), stderr: spawned.stderr() };
}
