/**
 * bbauth's own backups: `bbauth fix` copies every file it changes (secrets and all, mode 0600) into its config
 * folder so `--undo` can restore them byte for byte. A scan of HOME walks into them; what it finds there is not
 * a leak to fix but a copy kept on purpose, so it is one info finding per backup folder that says how to delete
 * them, instead of an app-password error per copied line that sends the user back to `bbauth fix`.
 */
import { finding } from '../findings/build.js';
import type { ScanItem } from './types.js';

/** The backup folder (`<backups>/<name>`) a file lies in, if any. */
function backupFolderOf(file: string, backupsRoot: string): string | undefined {
  const root = backupsRoot.replace(/[\\/]+$/, '');
  const rest = file.slice(root.length);
  if (!file.startsWith(root) || !/^[\\/]/.test(rest)) return undefined;
  const name = rest.slice(1).split(/[\\/]/)[0];
  return name ? file.slice(0, root.length + 1 + name.length) : undefined;
}

/** Replaces the items found inside bbauth's backups with one `bbauth-backup` item per backup folder. */
export function foldOwnBackups(items: readonly ScanItem[], backupsRoot: string): ScanItem[] {
  const inBackup = new Map<string, ScanItem[]>();
  const out: ScanItem[] = [];
  for (const it of items) {
    const folder = it.location.file && backupFolderOf(it.location.file, backupsRoot);
    if (!folder) out.push(it);
    else inBackup.set(folder, [...(inBackup.get(folder) ?? []), it]);
  }
  for (const [folder, found] of inBackup) {
    const secrets = new Set(found.map((i) => i.secret).filter(Boolean)).size;
    out.push({
      location: { file: folder },
      findings: [
        finding(
          'bbauth-backup',
          `bbauth's backup of an earlier fix (${folder}) keeps copies of the files it changed, with ${secrets === 1 ? 'one Bitbucket secret' : `${secrets} Bitbucket secrets`} in them, so that \`bbauth fix --undo\` can restore them.`,
          { file: folder },
          {
            summary:
              "Nothing leaked: the folder is bbauth's own (mode 0700). Once the fix has proved itself and you will not undo it, delete the backups.",
            commands: ['bbauth fix --purge-backups'],
          },
        ),
      ],
    });
  }
  return out;
}
