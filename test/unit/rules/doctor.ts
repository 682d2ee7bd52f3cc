/** Shortcuts shared by the doctor rows: run one offline rule over facts built by a row. */
import {
  diagnoseOffline,
  fileFindings,
  hostFindings,
  remoteFindings,
  type Finding,
} from '../../helpers/core.js';
import { bbUrl, facts, REPO, type FakeFacts } from '../../helpers/facts.js';

export const STATIC = 'x-bitbucket-api-token-auth';
/** The location fields every finding about remote "origin" carries. */
export const origin = { remote: 'origin', configKey: 'remote.origin.url', repository: REPO };

/** remoteFindings for one remote of the built facts. */
export const onRemote =
  (b: FakeFacts, name = 'origin') =>
  (): Finding[] => {
    const f = b.build();
    return remoteFindings(
      f,
      f.remotes.find((r) => r.name === name)!,
    );
  };
export const onFiles = (b: FakeFacts) => (): Finding[] => fileFindings(b.build());
export const onHost = (b: FakeFacts) => (): Finding[] => hostFindings(b.build());
export const offline = (b: FakeFacts) => (): Finding[] => diagnoseOffline(b.build());

/** A remote whose helper (store) answers with this secret and username. */
export const helped = (secret: string, username = STATIC) =>
  facts().helper('store').remote(bbUrl(username), { helperAnswer: { secret, username } });
