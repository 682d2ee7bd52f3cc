import { defineCommand } from 'citty';
import { runLogout } from '../../services/logout.js';
import { globalArgs, readGlobalOptions } from '../args.js';
import { printResult } from '../output.js';

/** `bbauth logout`: forget the Bitbucket credential git's helpers hold, and bbauth's records of it. */
export const logoutCommand = defineCommand({
  meta: { name: 'logout', description: "Erase the stored Bitbucket credential and bbauth's records of it" },
  args: { ...globalArgs },
  async run({ args }) {
    const opts = readGlobalOptions(args);
    const r = await runLogout(process.cwd(), process.env, opts.endpoints);
    printResult(
      opts.json
        ? JSON.stringify({ schemaVersion: 1, ...r })
        : `Erased stored credentials for ${r.host}; removed ${r.removed} record(s).${r.unsetHelpers.length ? ` Removed ${r.unsetHelpers.join(', ')} (added by bbauth login).` : ''}`,
    );
    return 0;
  },
});
