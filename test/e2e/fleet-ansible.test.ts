/**
 * The Ansible content in deploy/ansible/, run for real: `ansible-playbook` over SSH to three hosts, each a real
 * `sshd` (its own config and host key, key-only, on 127.0.0.2/3/4) admitting one Linux account (bbfleet1..3,
 * created here if absent) whose HOME is a temp folder seeded with its own Bitbucket credentials, one app password
 * copied onto two of them. The hosts install the tarball scripts/pack-bundled.mjs makes, with npm pointed at a
 * closed loopback port (so the install provably needs no registry), and talk to the emulator on 127.0.0.1.
 *
 * What must hold: the merged report names exactly the right hosts for each credential (its ids keyed by the
 * fleet key from Vault); no 8-character window of any secret appears in any playbook output (-v, and -vvvv for
 * the runs that hand bbauth the token and the fleet key, where Ansible prints every module argument no_log does
 * not hide) or file on the controller, nor the new token in any file on the hosts but the credential store fix
 * chose; a second run
 * installs nothing; --check installs nothing and changes nothing; fix.yml in check mode prints each host's plan,
 * and for real (token from a vault-encrypted file, on stdin) fixes the chosen hosts, after which a scan no
 * longer finds the app password anywhere. Needs root, ansible-playbook and sshd, and fails (never skips)
 * without them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, isIP } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialId } from '../../src/core/fleet/credential-id.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { demoState } from '../../src/emulator/state.js';
import { binDir, secretFragmentsIn } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { requireProgram } from '../helpers/secret-service.js';
import { spawnCollect, type Run } from '../helpers/spawn.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ANSIBLE_DIR = join(REPO, 'deploy', 'ansible');
const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

interface Host {
  name: string;
  user: string;
  address: string;
  port: number;
  home: string;
  uid: number;
  sshd?: ChildProcess;
  sshdLog: string;
}

const hosts: Host[] = [
  { name: 'fleet-1', user: 'bbfleet1', address: '127.0.0.2' },
  { name: 'fleet-2', user: 'bbfleet2', address: '127.0.0.3' },
  { name: 'fleet-3', user: 'bbfleet3', address: '127.0.0.4' },
].map((h) => ({ ...h, port: 0, home: '', uid: -1, sshdLog: '' }));
const byName = (name: string) => hosts.find((h) => h.name === name)!;

let ctl: Sandbox; // the controller: HOME, ansible's temp files, inventory, vault, reports
let hostRoot: string; // the hosts' HOMEs and sshd configs
let emulator: Emulator;
let programs: Record<'ansible-playbook' | 'ansible-vault' | 'sshd' | 'ssh-keygen', string>;
let tarball: string;
const fleetKey = randomBytes(16).toString('hex');
const vaultPassword = randomBytes(18).toString('base64url');
let secret: (id: string) => string;
/** Everything secret in this world: every emulator token, the fleet key, the vault password. */
let allSecrets: string[];

// ---------------------------------------------------------------------------------------------------------------
// Small tools
// ---------------------------------------------------------------------------------------------------------------

/** Runs a system command synchronously (only before the emulator answers anything); throws on failure. */
function sys(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const run = spawnSync(cmd, args, {
    encoding: 'utf8',
    input: opts.input ?? '',
    env: opts.env ?? process.env,
  });
  if (run.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${run.error ?? ''}${run.stderr}`);
  return run.stdout;
}

/** A TCP port free on `address` right now. */
function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The 8-character windows secretFragmentsIn (test/helpers/cli.ts) looks for (and the first one too), as a set:
 * the hosts' trees hold bbauth's own install, megabytes a window-by-window `includes` would take minutes over.
 */
function secretWindows(list: readonly string[]): Set<string> {
  const windows = new Set<string>();
  for (const s of list) {
    const encoded = encodeURIComponent(s);
    for (const form of new Set([s, encoded, encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())])) {
      const start = /^AT(ATT|CTT)3xFfG[FN]0/.test(form) ? 5 : 0;
      for (let i = start; i + 8 <= form.length; i++) windows.add(form.slice(i, i + 8));
    }
  }
  return windows;
}

/** Regular files under `dir` (symlinks not followed). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Files under `dir` holding any window of `list`, with the windows found. */
function filesHolding(dir: string, list: readonly string[], except: readonly string[] = []): string[] {
  const windows = secretWindows(list);
  const hits: string[] = [];
  for (const file of filesUnder(dir)) {
    if (except.includes(file)) continue;
    const text = readFileSync(file).toString('latin1');
    for (let i = 0; i + 8 <= text.length; i++) {
      if (windows.has(text.slice(i, i + 8))) {
        hits.push(`${file}: …${text.slice(i, i + 8)}…`);
        break;
      }
    }
  }
  return hits;
}

/** A task's per-host results from ansible's default output: task name → ["changed fleet-1", …]. */
function taskResults(output: string): Map<string, string[]> {
  const tasks = new Map<string, string[]>();
  let current = '';
  for (const line of output.split('\n')) {
    const task = /^TASK \[(.*)\] \*+$/.exec(line);
    if (task) {
      current = task[1]!;
      if (!tasks.has(current)) tasks.set(current, []);
      continue;
    }
    const result = /^(ok|changed|skipping|fatal|failed): \[([^\]\s]+)/.exec(line);
    if (result && current) tasks.get(current)!.push(`${result[1]} ${result[2]}`);
  }
  return tasks;
}

/** The PLAY RECAP counters per host. */
function recap(output: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const at = output.lastIndexOf('PLAY RECAP');
  for (const line of output.slice(at).split('\n').slice(1)) {
    const m = /^(\S+)\s+:\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    out[m[1]!] = Object.fromEntries([...m[2]!.matchAll(/(\w+)=(\d+)/g)].map((c) => [c[1]!, Number(c[2])]));
  }
  return out;
}

/** Results of every task whose name starts with `prefix`. */
function resultsOf(output: string, prefix: string): string[] {
  return [...taskResults(output)].filter(([name]) => name.startsWith(prefix)).flatMap(([, r]) => r);
}

const outputs: string[] = [];
/** Ansible refuses to start in the sandbox's C locale: it needs a UTF-8 one. */
const ansibleEnv = (): NodeJS.ProcessEnv => ({ ...ctl.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' });
/** The two controller files that hold secrets by design: the vault (encrypted) and its password. */
const vaultFiles = () => [join(ctl.root, 'vault.yml'), join(ctl.root, 'vault-password')];

/** `ansible-playbook -v PLAYBOOK …` (more -v in `extra`) as the controller, with the vault; every output is kept for the canary. */
async function playbook(name: 'scan.yml' | 'fix.yml', ...extra: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    ...ansibleEnv(),
    ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'),
    ANSIBLE_HOME: join(ctl.root, 'ansible-home'),
    ANSIBLE_LOCAL_TEMP: join(ctl.root, 'ansible-tmp'),
    ANSIBLE_STDOUT_CALLBACK: 'default',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    // One connection per task, no ControlPersist master left running after the play.
    ANSIBLE_SSH_ARGS: '-o ControlMaster=no -o IdentitiesOnly=yes -o BatchMode=yes',
  };
  const run = await spawnCollect(
    programs['ansible-playbook'],
    [
      '-v',
      '-i',
      join(ctl.root, 'inventory.yml'),
      '-e',
      `@${join(ctl.root, 'vault.yml')}`,
      '--vault-password-file',
      join(ctl.root, 'vault-password'),
      join(ANSIBLE_DIR, name),
      ...extra,
    ],
    { cwd: ctl.root, env, timeoutMs: 150_000 },
  );
  outputs.push(run.stdout, run.stderr);
  expect(secretFragmentsIn(run.stdout + '\n' + run.stderr, allSecrets), 'a secret in ansible output').toEqual(
    [],
  );
  return run;
}

/** Exit 0, and the recap names exactly `names` (localhost never: it is only delegated to), none failed. */
function expectAllOk(run: Run, names = hosts.map((h) => h.name)): void {
  const counts = recap(run.stdout);
  expect(Object.keys(counts).sort(), run.stdout + run.stderr).toEqual(names);
  for (const [host, c] of Object.entries(counts)) {
    expect({ host, failed: c.failed, unreachable: c.unreachable }, run.stdout).toEqual({
      host,
      failed: 0,
      unreachable: 0,
    });
  }
  expect(run.code, run.stdout + run.stderr).toBe(0);
}

interface FleetJson {
  type: string;
  credentials: { id: string; kind: string; hosts: string[] }[];
  hosts: { host: string; user?: string }[];
}

const readFleet = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as FleetJson;
const hostsById = (doc: FleetJson) => Object.fromEntries(doc.credentials.map((c) => [c.id, c.hosts]));
/** The id every host computes for an emulator token, keyed by the fleet key from the vault. */
const idOf = (tokenId: string) => credentialId(secret(tokenId), fleetKey);

/** The files fix or a seed may touch on a host, by content (undefined: absent). */
function hostSnapshot(h: Host): Record<string, string | undefined> {
  const files = [
    '.gitconfig',
    '.git-credentials',
    '.netrc',
    '.config/composer/auth.json',
    ...['code/web', 'code/api', 'code/lib', 'srv/deploy'].map((r) => `${r}/.git/config`),
  ];
  return Object.fromEntries(
    files.map((f) => [f, existsSync(join(h.home, f)) ? readFileSync(join(h.home, f), 'utf8') : undefined]),
  );
}

/** What the tasks leave in /tmp and ~/.ansible/tmp on the hosts: nothing. */
function leftovers(): string[] {
  const uids = new Set(hosts.map((h) => h.uid));
  const inTmp = readdirSync(tmpdir())
    .filter((n) => /^(bbauth-scan-|bbauth-install-|ansible)/.test(n))
    .filter((n) => uids.has(lstatSync(join(tmpdir(), n)).uid));
  const inHomes = hosts.flatMap((h) => {
    const dir = join(h.home, '.ansible', 'tmp');
    return existsSync(dir) ? readdirSync(dir).map((n) => join(dir, n)) : [];
  });
  return [...inTmp, ...inHomes];
}

// ---------------------------------------------------------------------------------------------------------------
// The world: accounts, sshd, emulator, seeded HOMEs, inventory, vault, tarball
// ---------------------------------------------------------------------------------------------------------------

function requireTools(): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'test/e2e/fleet-ansible.test.ts must run as root: it creates the accounts bbfleet1..3 (useradd) and ' +
        'starts sshd on 127.0.0.2-4. Run the tests as root (e.g. in a container).',
    );
  }
  const path = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SYSTEM_PATH];
  programs = {
    'ansible-playbook': requireProgram('ansible-playbook', path),
    'ansible-vault': requireProgram('ansible-vault', path),
    sshd: requireProgram('sshd', path),
    'ssh-keygen': requireProgram('ssh-keygen', path),
  };
  for (const p of ['useradd', 'usermod', 'runuser', 'npm']) requireProgram(p, path);
}

/** The account exists with `home` as its HOME, a shell, and a password field sshd does not read as locked. */
function ensureAccount(h: Host): void {
  const exists = spawnSync('getent', ['passwd', h.user]).status === 0;
  if (exists) {
    killProcessesOf(h.user); // a run killed half-way leaves sessions, and usermod refuses a busy account
    sys('usermod', ['--home', h.home, '--shell', '/bin/bash', h.user]);
  } else {
    sys('useradd', [
      '--no-create-home',
      '--home-dir',
      h.home,
      '--shell',
      '/bin/bash',
      '--user-group',
      h.user,
    ]);
  }
  // useradd leaves "!" (locked): sshd refuses a locked account even for key login when it does not use PAM.
  sys('usermod', ['--password', '*', h.user]);
  h.uid = Number(sys('id', ['-u', h.user]).trim());
  mkdirSync(h.home, { recursive: true, mode: 0o700 });
}

/** Kills, by process id, whatever the test account still runs (its SSH sessions, a git the test started). */
function killProcessesOf(user: string): void {
  const pids = spawnSync('ps', ['-o', 'pid=', '-u', user], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((p) => Number(p.trim()))
    .filter((p) => p > 0);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function startSshd(h: Host, clientKey: string): Promise<void> {
  const dir = join(hostRoot, `sshd-${h.name}`);
  mkdirSync(dir, { mode: 0o700 });
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  sys(programs['ssh-keygen'], ['-q', '-t', 'ed25519', '-N', '', '-C', h.name, '-f', hostKey]);
  h.port = await freePort(h.address);
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress ${h.address}:${h.port}`,
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AllowUsers ${h.user}`,
      'AuthorizedKeysFile .ssh/authorized_keys',
      'AuthenticationMethods publickey',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      'UsePAM no',
      // The HOMEs are 0700 and owned by their account, the keys 0600: the checks pass as they are.
      'StrictModes yes',
      'PrintMotd no',
      'PrintLastLog no',
      'X11Forwarding no',
      'AllowTcpForwarding no',
      'Subsystem sftp internal-sftp',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const ssh = join(h.home, '.ssh');
  mkdirSync(ssh, { mode: 0o700 });
  writeFileSync(join(ssh, 'authorized_keys'), readFileSync(`${clientKey}.pub`), { mode: 0o600 });
  // Debian's sshd needs its privilege separation folder, which only its service unit creates.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child = spawn(programs.sshd, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  h.sshd = child;
  child.stderr!.on('data', (d: Buffer) => (h.sshdLog += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!h.sshdLog.includes(`Server listening on ${h.address} port ${h.port}`)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`sshd for ${h.name} did not start:\n${h.sshdLog}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const publicKey = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  writeFileSync(join(ctl.root, 'known_hosts'), `[${h.address}]:${h.port} ${publicKey}\n`, { flag: 'a' });
}

/** Real git as root on a HOME that is then handed to its account (nothing here talks to the emulator). */
function seedHome(h: Host, gitHost: string): void {
  const env = {
    ...ctl.env,
    HOME: h.home,
    GIT_CONFIG_GLOBAL: join(h.home, '.gitconfig'),
    XDG_CONFIG_HOME: join(h.home, '.config'),
  };
  const git = (args: string[], cwd = h.home) => sys('git', ['-C', cwd, ...args], { env });
  writeFileSync(join(h.home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n');
  const repo = (dir: string, remote: string, config: [string, string][] = []) => {
    const full = join(h.home, dir);
    mkdirSync(full, { recursive: true });
    git(['init', '-q', full]);
    git(['remote', 'add', 'origin', remote], full);
    for (const [k, v] of config) git(['config', k, v], full);
    git(['commit', '--allow-empty', '-qm', 'init'], full);
  };
  const url = (auth: string, repoName: string) => `http://${auth}${gitHost}/acme/${repoName}.git`;
  const store = (user: string, id: string) =>
    writeFileSync(
      join(h.home, '.git-credentials'),
      `http://${user}:${encodeURIComponent(secret(id))}@${gitHost}\n`,
      {
        mode: 0o600,
      },
    );
  if (h.name === 'fleet-1') {
    // The retired app password in the store; a repository that uses it.
    store('alice', 'alice-app-password');
    git(['config', '--global', 'credential.helper', 'store']);
    repo('code/web', url('alice@', 'web'));
  } else if (h.name === 'fleet-2') {
    // The same app password; and a deploy checkout with a repository access token in its remote URL.
    store('alice', 'alice-app-password');
    git(['config', '--global', 'credential.helper', 'store']);
    repo('code/api', url('alice@', 'api'));
    repo('srv/deploy', url(`x-token-auth:${secret('web-repo-read')}@`, 'web'), [['bbauth.need', 'fetch']]);
  } else {
    // bob's API token in .netrc, a project access token in Composer's auth.json.
    writeFileSync(
      join(h.home, '.netrc'),
      `machine 127.0.0.1\n  login bob\n  password ${secret('bob-rw')}\n`,
      {
        mode: 0o600,
      },
    );
    mkdirSync(join(h.home, '.config', 'composer'), { recursive: true });
    writeFileSync(
      join(h.home, '.config', 'composer', 'auth.json'),
      JSON.stringify({
        'http-basic': { '127.0.0.1': { username: 'x-token-auth', password: secret('acme-project-read') } },
      }),
      { mode: 0o600 },
    );
    repo('code/lib', url('bob@', 'lib'));
  }
  sys('chown', ['-R', `${h.user}:${h.user}`, h.home]);
}

function writeInventory(clientKey: string): void {
  const environment = (h: Host) => ({
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(h.home, '.gitconfig'),
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C.UTF-8',
    NO_COLOR: '1',
    // npm may not reach any registry: a closed port on loopback. The bundled tarball needs none.
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_update_notifier: 'false',
  });
  const inventory = {
    all: {
      hosts: Object.fromEntries(
        hosts.map((h) => [
          h.name,
          {
            ansible_host: h.address,
            ansible_port: h.port,
            ansible_user: h.user,
            bbauth_environment: environment(h),
          },
        ]),
      ),
      vars: {
        ansible_connection: 'ssh',
        ansible_ssh_private_key_file: clientKey,
        ansible_ssh_common_args: `-o UserKnownHostsFile=${join(ctl.root, 'known_hosts')} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes`,
        ansible_python_interpreter: '/usr/bin/python3',
        bbauth_package: tarball,
        bbauth_bitbucket_url: emulator.gitUrl,
        bbauth_api_url: emulator.apiUrl,
        bbauth_controller_command: join(binDir(ctl.root), 'bbauth'),
        bbauth_report_root: join(ctl.root, 'reports'),
      },
    },
  };
  // JSON is YAML: ansible's yaml inventory plugin reads it.
  writeFileSync(join(ctl.root, 'inventory.yml'), JSON.stringify(inventory, null, 2) + '\n');
}

/** The vault: the new token and the fleet key, encrypted from stdin (the plaintext never touches the disk). */
function writeVault(): void {
  writeFileSync(join(ctl.root, 'vault-password'), vaultPassword, { mode: 0o600 });
  const plain = `bbauth_token: ${JSON.stringify(secret('alice-rw'))}\nbbauth_fleet_key: ${JSON.stringify(fleetKey)}\n`;
  sys(
    programs['ansible-vault'],
    [
      'encrypt',
      '--vault-password-file',
      join(ctl.root, 'vault-password'),
      '--output',
      join(ctl.root, 'vault.yml'),
      '-',
    ],
    { input: plain, env: ansibleEnv() },
  );
  expect(readFileSync(join(ctl.root, 'vault.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
}

beforeAll(async () => {
  requireTools();
  ctl = createSandbox('bbauth-fleet-ctl-');
  hostRoot = mkdtempSync(join(tmpdir(), 'bbauth-fleet-hosts-'));
  chmodSync(hostRoot, 0o711); // each account reaches its own HOME below, and nothing else
  for (const h of hosts) h.home = join(hostRoot, h.user);

  // Loopback only, proven before anything is sent: literal 127/8 addresses that resolve to themselves, on the
  // loopback interface, and an emulator on 127.0.0.1.
  const lo = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a?.internal && a.family === 'IPv4');
  expect(lo.map((a) => a!.cidr)).toContain('127.0.0.1/8');
  for (const h of hosts) {
    expect(isIP(h.address)).toBe(4);
    expect(h.address).toMatch(/^127\.0\.0\.[2-4]$/);
    expect((await lookup(h.address)).address).toBe(h.address);
  }

  const state = demoState();
  state.repositories.push(
    { workspace: 'acme', slug: 'api', project: 'WEB', permissions: { alice: 'write' } },
    { workspace: 'acme', slug: 'lib', project: 'WEB', permissions: { bob: 'write' } },
  );
  emulator = await startEmulator({ state });
  expect(new URL(emulator.gitUrl).hostname).toBe('127.0.0.1');
  expect(new URL(emulator.apiUrl).hostname).toBe('127.0.0.1');
  secret = (id) => {
    const t = emulator.state.tokens.find((x) => x.id === id);
    if (!t) throw new Error(`no emulator token ${id}`);
    return t.secret;
  };
  allSecrets = [...emulator.state.tokens.map((t) => t.secret), fleetKey, vaultPassword];

  // npm only packs what this checkout has installed: offline, and no update check against the registry.
  const pack = spawnSync(
    process.execPath,
    [join(REPO, 'scripts', 'pack-bundled.mjs'), join(ctl.root, 'pkg')],
    {
      encoding: 'utf8',
      env: { ...ctl.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    },
  );
  expect(pack.status, pack.stderr).toBe(0);
  tarball = pack.stdout.trim();
  expect(tarball).toMatch(/bbauth-\d+\.\d+\.\d+.*\.tgz$/);

  const clientKey = join(ctl.root, 'id_ed25519');
  sys(programs['ssh-keygen'], ['-q', '-t', 'ed25519', '-N', '', '-C', 'bbauth-fleet-test', '-f', clientKey]);
  for (const h of hosts) {
    ensureAccount(h);
    await startSshd(h, clientKey);
    seedHome(h, new URL(emulator.gitUrl).host);
  }
  writeInventory(clientKey);
  writeVault();
}, 120_000);

afterAll(async () => {
  for (const h of hosts) {
    if (h.sshd?.pid) h.sshd.kill('SIGTERM');
    if (h.uid >= 0) killProcessesOf(h.user);
  }
  await emulator?.close();
  // The accounts stay (their HOME then names a folder that is gone); their files go.
  if (hostRoot) rmSync(hostRoot, { recursive: true, force: true });
  ctl?.cleanup();
});

// ---------------------------------------------------------------------------------------------------------------
// The runs, in order: each builds on the one before
// ---------------------------------------------------------------------------------------------------------------

const reportFile = () => join(ctl.root, 'reports', 'fleet.json');
const installed = (h: Host) => join(h.home, '.local', 'bin', 'bbauth');
const INSTALL = 'bbauth : Install | ';

describe('deploy/ansible over SSH to three loopback hosts', () => {
  it('scan.yml --check on hosts without bbauth: reports the install as a change, installs and scans nothing', async () => {
    const before = hosts.map(hostSnapshot);
    const run = await playbook('scan.yml', '--check');
    expectAllOk(run);
    expect(resultsOf(run.stdout, `${INSTALL}would install`).sort()).toEqual(
      hosts.map((h) => `changed ${h.name}`),
    );
    expect(resultsOf(run.stdout, `${INSTALL}npm install`).every((r) => r.startsWith('skipping'))).toBe(true);
    expect(resultsOf(run.stdout, 'bbauth : Scan | skipped, bbauth is not installed')).toHaveLength(3);
    for (const h of hosts) expect(existsSync(installed(h)), h.name).toBe(false);
    expect(existsSync(reportFile())).toBe(false);
    expect(hosts.map(hostSnapshot)).toEqual(before);
  }, 150_000);

  it('scan.yml: installs the bundled tarball offline, and the merged report names exactly the right hosts', async () => {
    const run = await playbook('scan.yml');
    expectAllOk(run);
    expect(resultsOf(run.stdout, `${INSTALL}npm install`).sort()).toEqual(
      hosts.map((h) => `changed ${h.name}`),
    );
    for (const h of hosts) expect(existsSync(installed(h)), h.name).toBe(true);

    expect(readdirSync(join(ctl.root, 'reports', 'scans')).sort()).toEqual(
      hosts.map((h) => `${h.name}.json`),
    );
    for (const f of ['fleet.json', 'fleet.html', 'fleet.csv'])
      expect(statSync(join(ctl.root, 'reports', f)).size, f).toBeGreaterThan(0);
    const doc = readFleet(reportFile());
    expect(doc.type).toBe('bbauth.report');
    // The ids are keyed with the fleet key from the vault: it reached bbauth (on stdin).
    expect(hostsById(doc)).toEqual({
      [idOf('alice-app-password')]: ['fleet-1', 'fleet-2'],
      [idOf('web-repo-read')]: ['fleet-2'],
      [idOf('bob-rw')]: ['fleet-3'],
      [idOf('acme-project-read')]: ['fleet-3'],
    });
    expect(doc.hosts.map((h) => [h.host, h.user]).sort()).toEqual(hosts.map((h) => [h.name, h.user]));
    expect(leftovers()).toEqual([]);
    expect(filesHolding(ctl.root, allSecrets, vaultFiles())).toEqual([]);
  }, 150_000);

  it('a second scan.yml installs nothing; --check still scans, into a report of its own, and changes no host', async () => {
    const again = await playbook('scan.yml');
    expectAllOk(again);
    const install = resultsOf(again.stdout, INSTALL);
    expect(install.length).toBeGreaterThan(0);
    expect(install.filter((r) => r.startsWith('changed'))).toEqual([]);
    expect(resultsOf(again.stdout, `${INSTALL}npm install`).every((r) => r.startsWith('skipping'))).toBe(
      true,
    );

    const before = hosts.map(hostSnapshot);
    const checkRoot = join(ctl.root, 'reports-check');
    const check = await playbook('scan.yml', '--check', '-e', `bbauth_report_root=${checkRoot}`);
    expectAllOk(check);
    expect(resultsOf(check.stdout, INSTALL).filter((r) => r.startsWith('changed'))).toEqual([]);
    expect(hostsById(readFleet(join(checkRoot, 'fleet.json')))).toEqual(hostsById(readFleet(reportFile())));
    expect(hosts.map(hostSnapshot)).toEqual(before);
    expect(leftovers()).toEqual([]);
  }, 150_000);

  it('fix.yml refuses to run on hosts nobody chose', async () => {
    const run = await playbook('fix.yml', '--check');
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/name the hosts with -e bbauth_fix_hosts=PATTERN or --limit PATTERN/);
  }, 150_000);

  it('fix.yml --check: a dry run on every host, each plan summarised, nothing changed', async () => {
    const before = hosts.map(hostSnapshot);
    const run = await playbook('fix.yml', '--check', '-e', 'bbauth_fix_hosts=all');
    expectAllOk(run);
    // The dry run needs no token: the hosts whose credentials are dead say that they need one.
    expect(run.stdout).toMatch(/"fleet-1: needs-token \(exit \d\), \d+ step\(s\)/);
    expect(run.stdout).toMatch(/needed: set bbauth_token \(Vault\)/);
    expect(run.stdout).toContain(`${byName('fleet-1').home}/code/web [shared] origin: fetch failed (410)`);
    expect(run.stdout).toContain(`${byName('fleet-2').home}/srv/deploy [own] origin: fetch ok`);
    expect(run.stdout).toMatch(/"fleet-3: \S+ \(exit \d\)/);
    expect(resultsOf(run.stdout, 'bbauth : Fix | apply').every((r) => r.startsWith('skipping'))).toBe(true);
    expect(hosts.map(hostSnapshot)).toEqual(before);
  }, 150_000);

  it('fix.yml on two chosen hosts: the vault token on stdin fixes them, and lives only in the store fix chose', async () => {
    const fleet3 = hostSnapshot(byName('fleet-3'));
    const requestsBefore = emulator.requests.length;
    // -vvvv: Ansible then prints every task's module arguments (stdin among them) unless no_log hides them.
    const run = await playbook('fix.yml', '-vvv', '-e', 'bbauth_fix_hosts=fleet-1:fleet-2');
    expectAllOk(run, ['fleet-1', 'fleet-2']);
    expect(run.stdout).toMatch(/"fleet-1: applied \(exit 0\)/);
    expect(run.stdout).toMatch(/"fleet-2: applied \(exit 0\)/);
    expect(run.stdout).toContain(
      `${byName('fleet-1').home}/code/web [shared] origin: fetch failed (410) -> ok, push not checked -> ok`,
    );
    expect(run.stdout).toContain(
      `${byName('fleet-2').home}/code/api [shared] origin: fetch failed (410) -> ok`,
    );
    expect(run.stdout).toMatch(/censored/); // the task that saw the token showed nothing of it
    // The new token was checked and used against the emulator: git on each host fetched with it.
    expect(
      emulator.requests.slice(requestsBefore).some((r) => r.tokenId === 'alice-rw' && r.status === 200),
    ).toBe(true);

    const token = secret('alice-rw');
    for (const name of ['fleet-1', 'fleet-2']) {
      const h = byName(name);
      const store = join(h.home, '.git-credentials');
      // git's store file percent-encodes (and writes %3d for "="): compare what it decodes to.
      const lines = readFileSync(store, 'utf8').trim().split('\n').map(decodeURIComponent);
      // The token replaces the app password's entry, and is stored under the username git asks with.
      const withToken = lines.filter((l) => l.includes(`:${token}@`));
      expect(withToken.length, name).toBeGreaterThan(0);
      for (const l of withToken) expect(new URL(l).host, name).toBe(new URL(emulator.gitUrl).host);
      expect(
        lines.filter((l) => l.includes(secret('alice-app-password'))),
        name,
      ).toEqual([]);
      // Real git as the account, with no prompt: the fixed checkout fetches.
      const fetch = await spawnCollect(
        'runuser',
        [
          '-u',
          h.user,
          '--',
          'env',
          '-i',
          `HOME=${h.home}`,
          'PATH=/usr/bin:/bin',
          'GIT_CONFIG_NOSYSTEM=1',
          'GIT_TERMINAL_PROMPT=0',
          'git',
          '-C',
          join(h.home, name === 'fleet-1' ? 'code/web' : 'code/api'),
          'fetch',
          '-q',
          'origin',
        ],
        { cwd: h.home, env: ctl.env },
      );
      expect(fetch.code, fetch.stderr).toBe(0);
    }
    // No other file on any host holds any part of the token, and none on the controller.
    for (const h of hosts)
      expect(filesHolding(h.home, [token], [join(h.home, '.git-credentials')]), h.name).toEqual([]);
    expect(filesHolding(ctl.root, allSecrets, vaultFiles())).toEqual([]);
    expect(hostSnapshot(byName('fleet-3'))).toEqual(fleet3);
    expect(leftovers()).toEqual([]);
  }, 150_000);

  it('scan.yml after the fix: the app password is gone from the fleet, the new token on the two fixed hosts', async () => {
    const run = await playbook('scan.yml', '-vvv'); // the fleet key on stdin, hidden at any verbosity
    expectAllOk(run);
    expect(resultsOf(run.stdout, INSTALL).filter((r) => r.startsWith('changed'))).toEqual([]);
    expect(hostsById(readFleet(reportFile()))).toEqual({
      [idOf('alice-rw')]: ['fleet-1', 'fleet-2'],
      [idOf('web-repo-read')]: ['fleet-2'],
      [idOf('bob-rw')]: ['fleet-3'],
      [idOf('acme-project-read')]: ['fleet-3'],
    });
    // Every playbook output of this file, once more as a whole: no window of any secret.
    expect(secretFragmentsIn(outputs.join('\n'), allSecrets)).toEqual([]);
    expect(filesHolding(ctl.root, allSecrets, vaultFiles())).toEqual([]);
  }, 150_000);
});
