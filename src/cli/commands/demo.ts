import { defineCommand } from 'citty';
import { runDemo } from '../../services/demo.js';
import { globalArgs, readGlobalOptions } from '../args.js';
import { colorEnabled, colors, printResult } from '../output.js';
import { renderDoctorHuman } from '../render/doctor.js';

/** `bbauth demo`: doctor on sample repositories broken the common ways, against the local emulator. */
export const demoCommand = defineCommand({
  meta: {
    name: 'demo',
    description: 'See bbauth diagnose common breakages, offline, against a local emulator',
  },
  args: { ...globalArgs },
  async run({ args }) {
    const opts = readGlobalOptions(args);
    const c = colors(colorEnabled(opts));
    const cases = await runDemo((demo) => {
      if (opts.json) return;
      printResult(`\n${c.bold(c.cyan(`━━ ${demo.title}`))}\n${c.dim(demo.story)}\n`);
      printResult(renderDoctorHuman(demo.report, c, false));
    });
    if (opts.json) printResult(JSON.stringify({ schemaVersion: 1, cases }, null, 2));
    else
      printResult(
        `\nThe tokens above are synthetic and lived only in a local emulator. In your repository, run: bbauth doctor`,
      );
    return 0;
  },
});
