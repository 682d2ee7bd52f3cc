/**
 * Runs a child process asynchronously and collects its output. Asynchronous on purpose: the emulator runs in
 * the test's own process, so a synchronous spawn would block the event loop it answers on.
 */
import { spawn } from 'node:child_process';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns `cmd args`, writes `input` to stdin (then closes it), kills it after `timeoutMs`. */
export function spawnCollect(
  cmd: string,
  args: readonly string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // a child that exits without reading stdin
    child.stdin.end(opts.input ?? '');
  });
}
