/**
 * The real keychain clients for tests of git-credential-libsecret: a private D-Bus session bus in the sandbox
 * and, on it, gnome-keyring's Secret Service with a fresh login keyring, unlocked. That is what a desktop session
 * gives libsecret, and the machine's own bus and keyring are never reached (the sandbox drops
 * DBUS_SESSION_BUS_ADDRESS and DISPLAY). The bus has no service folders, so nothing starts on demand: a bus
 * without the keyring answers libsecret the way a server with D-Bus but no keyring daemon does.
 *
 * A missing program fails the test with the command that installs it (scripts/install-test-clients.sh); a test
 * of a real client that skipped would pass on a machine that proves nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawnCollect } from './spawn.js';
import type { Sandbox } from './sandbox.js';

const INSTALL = 'run scripts/install-test-clients.sh (as root on Debian or Ubuntu)';

/** The path of `name` in one of `dirs`; throws, naming the install script, when it is in none. */
export function requireProgram(name: string, dirs: readonly string[]): string {
  for (const dir of dirs) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not installed (looked in ${dirs.join(', ')}): ${INSTALL}`);
}

/** Throws unless git-credential-libsecret is on git's exec-path, and dbus-daemon, dbus-send and gnome-keyring-daemon on PATH. */
export function requireSecretServiceClients(sandbox: Sandbox): void {
  const execPath = sandbox.git(['--exec-path']).stdout.trim();
  requireProgram('git-credential-libsecret', [execPath]);
  const path = (sandbox.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon']) requireProgram(name, path);
}

export interface SessionBus {
  /** DBUS_SESSION_BUS_ADDRESS of the bus. */
  address: string;
  /** Stops the keyring and the bus. */
  close(): Promise<void>;
}

const START_MS = 10_000;
/** However a test ends, its daemons do not outlive this. */
const LIFETIME_MS = 300_000;

let n = 0;

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 2_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Spawns a daemon that is killed after LIFETIME_MS at the latest. */
function daemon(cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const limit = setTimeout(() => child.kill('SIGKILL'), LIFETIME_MS);
  limit.unref();
  child.once('exit', () => clearTimeout(limit));
  return child;
}

/** The first line `child` prints on stdout (dbus-daemon's address), or a rejection after START_MS. */
function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${err}`)), START_MS);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it started: ${err}`));
    });
  });
}

/** Polls the bus until `name` has an owner (NameHasOwner starts nothing). */
async function waitForName(address: string, name: string, env: NodeJS.ProcessEnv): Promise<void> {
  const deadline = Date.now() + START_MS;
  while (Date.now() < deadline) {
    const r = await spawnCollect(
      'dbus-send',
      [
        `--bus=${address}`,
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        `string:${name}`,
      ],
      { cwd: env.HOME!, env, timeoutMs: 5_000 },
    );
    if (/boolean true/.test(r.stdout)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nobody took ${name} on the test's session bus within ${START_MS / 1000}s`);
}

/**
 * Starts a private session bus in the sandbox and, with `keyring`, gnome-keyring's Secret Service on it with a
 * login keyring created and unlocked under `env.HOME` (the keyring files live there). Call close() when done.
 */
export async function startSessionBus(
  sandbox: Sandbox,
  env: NodeJS.ProcessEnv,
  opts: { keyring: boolean },
): Promise<SessionBus> {
  const dir = join(sandbox.root, `bus-${process.pid}-${++n}`);
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'session.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  const children: ChildProcess[] = [];
  const close = async () => {
    await Promise.all(children.reverse().map(stop));
  };
  try {
    const bus = daemon('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1'], env);
    children.push(bus);
    const address = await firstLine(bus, 'dbus-daemon');
    if (opts.keyring) {
      const busEnv = { ...env, DBUS_SESSION_BUS_ADDRESS: address };
      // --unlock reads the login keyring's password from stdin and creates the keyring when there is none.
      const keyring = daemon(
        'gnome-keyring-daemon',
        ['--foreground', '--unlock', '--components=secrets'],
        busEnv,
      );
      children.push(keyring);
      keyring.stdout!.resume();
      keyring.stderr!.resume();
      keyring.stdin!.end('test-keyring-password');
      await waitForName(address, 'org.freedesktop.secrets', busEnv);
    }
    return { address, close };
  } catch (e) {
    await close();
    throw e;
  }
}
