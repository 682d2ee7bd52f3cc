/**
 * Runs a command on a real pseudo-terminal, so the code paths that only exist on a TTY (hidden prompts, the
 * confirm question, colours) are tested as a user meets them. No npm dependency: a small python3 driver (its
 * `pty` module) is written to a temp dir at run time. It waits for each expected text, types the answer, and
 * returns everything the terminal showed. Timeouts everywhere: the driver kills the whole session on its
 * deadline, and this helper kills the driver a little later still.
 *
 * The script of answers reaches the driver on stdin, never in a file or argv: answers may be tokens.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DRIVER = `
import fcntl, json, os, pty, re, select, signal, struct, sys, termios, time

spec = json.load(sys.stdin)
deadline = time.monotonic() + spec["timeoutMs"] / 1000.0
pid, fd = pty.fork()
if pid == 0:
    try:
        # A fixed window, so prompt libraries render the same everywhere.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.chdir(spec["cwd"])
        os.execve(spec["argv"][0], spec["argv"], spec["env"])
    finally:
        os._exit(127)

buf = b""
eof = False

def read_some():
    global buf, eof
    wait = deadline - time.monotonic()
    if eof or wait <= 0:
        return
    ready, _, _ = select.select([fd], [], [], min(wait, 0.5))
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            data = b""
        if data:
            buf += data
        else:
            eof = True

failed = None
pos = 0
for i, step in enumerate(spec["steps"]):
    pattern = re.compile(step["expect"].encode())
    while True:
        m = pattern.search(buf, pos)
        if m:
            pos = m.end()
            break
        if eof or time.monotonic() >= deadline:
            failed = i
            break
        read_some()
    if failed is not None:
        break
    if "send" in step:
        # Let the program finish drawing the prompt (and switch the terminal mode) before typing.
        time.sleep(step.get("delayMs", 200) / 1000.0)
        os.write(fd, step["send"].encode())

while failed is None and not eof and time.monotonic() < deadline:
    read_some()

status = None
while time.monotonic() < deadline:
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        break
    time.sleep(0.05)
timed_out = status is None
if timed_out or failed is not None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if status is None:
        _, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
print(json.dumps({"code": code, "timedOut": timed_out, "failedStep": failed,
                  "output": buf.decode("utf-8", "replace")}))
`;

export interface PtyStep {
  /** Regular expression (Python syntax) the terminal output must show, after the previous match. */
  expect: string;
  /** What to type once it shows ("\r" is Enter). */
  send?: string;
  /** Pause before typing; default 200 ms. */
  delayMs?: number;
}

export interface PtyRun {
  /** Exit code; negative = killed by that signal. */
  code: number;
  timedOut: boolean;
  /** Index of the step whose text never showed, if any. */
  failedStep: number | null;
  /** Everything the terminal showed (stdout and stderr both, as on a real terminal). */
  output: string;
}

/** Runs `argv` (argv[0] an absolute path) on a pseudo-terminal, answering `steps` in order. */
export function runPty(opts: {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  steps?: PtyStep[];
  /** Folder for the driver script (a test's temp dir). */
  tmpDir: string;
  timeoutMs?: number;
}): Promise<PtyRun> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const driver = join(opts.tmpDir, 'pty-driver.py');
  writeFileSync(driver, DRIVER);
  const spec = {
    argv: opts.argv,
    cwd: opts.cwd,
    env: Object.fromEntries(Object.entries(opts.env).filter(([, v]) => v !== undefined)),
    steps: opts.steps ?? [],
    timeoutMs,
  };
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [driver], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout) as PtyRun);
      } catch {
        reject(new Error(`pty driver failed (exit ${code}):\n${stderr}\n${stdout}`));
      }
    });
    child.stdin.end(JSON.stringify(spec));
  });
}
