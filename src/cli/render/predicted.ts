/** The prediction line doctor and status lead each remote with: `fetch ✔  push ✖ (push-not-permitted)`. */
import type { Outcome, Prediction } from '../../core/credential/predict.js';
import type { Colors } from '../output.js';

function mark(o: Outcome, c: Colors): string {
  switch (o) {
    case 'ok':
      return c.green('✔');
    case 'fails':
      return c.red('✖');
    case 'prompts':
      return c.yellow('? prompts');
    case 'not-needed':
      return c.dim('not needed');
    case 'unknown':
      return c.dim('? unknown');
  }
}

/** One line: what git fetch and git push will do now, and why they fail. */
export function renderPrediction(p: Prediction, c: Colors): string {
  const why = p.because.length > 0 ? c.dim(` (${p.because.join(', ')})`) : '';
  return `fetch ${mark(p.fetch, c)}  push ${mark(p.push, c)}${why}`;
}
