/**
 * A Jenkins home as Jenkins writes it: six jobs (freestyle and Pipeline jobs on the Git plugin, multibranch jobs on
 * Bitbucket Branch Source, one in a folder), credentials with the email, with x-bitbucket-api-token-auth and a
 * Secret text access token. The real `bbauth scan` must give exactly one finding per credential whose username does
 * not fit a plugin using it, naming the credential and its jobs, and how to set it in Jenkins and as code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { runCli } from '../helpers/cli.js';

let sb: Sandbox;
const HOME = 'var/lib/jenkins';

const userPass = (
  id: string,
  username: string,
) => `  <com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl plugin="credentials@1337.v60b_d7b_c7b_c9f">
    <scope>GLOBAL</scope>
    <id>${id}</id>
    <description></description>
    <username>${username}</username>
    <password>{AQAAABAAAAAQ${id.length}xKq2v0dF3mNnJ0Zb9aY1c=}</password>
    <usernameSecret>false</usernameSecret>
  </com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>`;
const secretText = (
  id: string,
) => `  <org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl plugin="plain-credentials@183.va_de8f1dd5a_2b_">
    <scope>GLOBAL</scope>
    <id>${id}</id>
    <secret>{AQAAABAAAAAwzzz9c3J0Q2xZ=}</secret>
  </org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>`;

const credentialsXml = `<?xml version='1.1' encoding='UTF-8'?>
<com.cloudbees.plugins.credentials.SystemCredentialsProvider plugin="credentials@1337.v60b_d7b_c7b_c9f">
  <domainCredentialsMap class="hudson.util.CopyOnWriteMap$Hash">
    <entry>
      <com.cloudbees.plugins.credentials.domains.Domain><specifications/></com.cloudbees.plugins.credentials.domains.Domain>
      <java.util.concurrent.CopyOnWriteArrayList>
${userPass('bb-email', 'alice@example.com')}
${userPass('bb-static', 'x-bitbucket-api-token-auth')}
${userPass('bb-pipeline', 'release-bot@example.com')}
${secretText('bb-access')}
      </java.util.concurrent.CopyOnWriteArrayList>
    </entry>
  </domainCredentialsMap>
</com.cloudbees.plugins.credentials.SystemCredentialsProvider>
`;

const gitScm = (repo: string, cred: string) => `<scm class="hudson.plugins.git.GitSCM" plugin="git@5.7.0">
    <configVersion>2</configVersion>
    <userRemoteConfigs>
      <hudson.plugins.git.UserRemoteConfig>
        <url>https://bitbucket.org/acme/${repo}.git</url>
        <credentialsId>${cred}</credentialsId>
      </hudson.plugins.git.UserRemoteConfig>
    </userRemoteConfigs>
    <branches><hudson.plugins.git.BranchSpec><name>*/main</name></hudson.plugins.git.BranchSpec></branches>
  </scm>`;
const freestyle = (repo: string, cred: string) => `<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description></description>
  ${gitScm(repo, cred)}
  <builders><hudson.tasks.Shell><command>make deploy</command></hudson.tasks.Shell></builders>
</project>
`;
const pipeline = (repo: string, cred: string) => `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job@1400.v7fd111b_ec82f">
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition" plugin="workflow-cps@3894.vd0f0248b_a_fc4">
    ${gitScm(repo, cred)}
    <scriptPath>Jenkinsfile</scriptPath>
    <lightweight>true</lightweight>
  </definition>
</flow-definition>
`;
const multibranch = (repo: string, cred: string) => `<?xml version='1.1' encoding='UTF-8'?>
<org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject plugin="workflow-multibranch@795.ve0cb_1f45ca_9a_">
  <sources class="jenkins.branch.MultiBranchProject$BranchSourceList" plugin="branch-api@2.1208.vf528356feca_4">
    <data>
      <jenkins.branch.BranchSource>
        <source class="com.cloudbees.jenkins.plugins.bitbucket.BitbucketSCMSource" plugin="cloudbees-bitbucket-branch-source@935.1.3">
          <id>5a9b1c2e-${repo}</id>
          <serverUrl>https://bitbucket.org</serverUrl>
          <credentialsId>${cred}</credentialsId>
          <repoOwner>acme</repoOwner>
          <repository>${repo}</repository>
          <traits/>
        </source>
      </jenkins.branch.BranchSource>
    </data>
  </sources>
  <factory class="org.jenkinsci.plugins.workflow.multibranch.WorkflowBranchProjectFactory"><scriptPath>Jenkinsfile</scriptPath></factory>
</org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject>
`;

beforeAll(() => {
  sb = createSandbox('bbauth-scan-jenkins-');
  sb.write(`${HOME}/credentials.xml`, credentialsXml);
  sb.write(`${HOME}/jobs/deploy-web/config.xml`, freestyle('web', 'bb-email')); // Git plugin + email: wrong
  sb.write(`${HOME}/jobs/web-mb/config.xml`, multibranch('web', 'bb-email')); // Branch Source + email: right
  sb.write(`${HOME}/jobs/build-lib/config.xml`, freestyle('lib', 'bb-static')); // Git plugin + static: right
  sb.write(`${HOME}/jobs/lib-mb/config.xml`, multibranch('lib', 'bb-static')); // Branch Source + static: wrong
  sb.write(`${HOME}/jobs/team/config.xml`, '<com.cloudbees.hudson.plugins.folder.Folder/>\n');
  sb.write(`${HOME}/jobs/team/jobs/release/config.xml`, pipeline('app', 'bb-pipeline')); // Pipeline + email: wrong
  sb.write(`${HOME}/jobs/api-mb/config.xml`, multibranch('api', 'bb-access')); // Secret text access token: right
});
afterAll(() => sb?.cleanup());

describe('bbauth scan of a Jenkins home', () => {
  it('one finding per credential whose username does not fit its plugin, naming it, its jobs and the fix', async () => {
    const run = await runCli(['scan', '--format', 'json', join(sb.home, HOME)], {
      cwd: sb.home,
      env: sb.env,
    });
    expect(run.code, run.stderr).toBe(1);
    const doc = JSON.parse(run.stdout) as {
      findings: {
        id: string;
        severity: string;
        message: string;
        location: { configKey?: string; file?: string };
        fix: { summary: string };
      }[];
    };
    const pairing = doc.findings.filter(
      (f) => f.id === 'email-as-git-username' || f.id === 'rest-username-not-email',
    );
    expect(pairing.map((f) => [f.id, f.location.configKey, f.severity]).sort()).toEqual([
      ['email-as-git-username', 'credential bb-email', 'error'],
      ['email-as-git-username', 'credential bb-pipeline', 'error'],
      ['rest-username-not-email', 'credential bb-static', 'error'],
    ]);
    const byCred = (id: string) => pairing.find((f) => f.location.configKey === `credential ${id}`)!;
    expect(byCred('bb-email').message).toMatch(
      /job\(s\) "deploy-web".*Branch Source job\(s\) "web-mb" need the email/,
    );
    expect(byCred('bb-pipeline').message).toContain('"team/release"');
    expect(byCred('bb-static').message).toMatch(/REST API in job\(s\) "lib-mb"/);
    for (const f of pairing) {
      expect(f.location.file).toBe(join(sb.home, HOME, 'credentials.xml'));
      expect(f.fix.summary).toMatch(/edit credential "bb-[a-z]+" \(Manage Jenkins → Credentials/);
      expect(f.fix.summary).toMatch(
        /Configuration as Code: .*usernamePassword: \{scope: GLOBAL, id: "bb-[a-z]+", username: "/,
      );
    }
    expect(byCred('bb-email').fix.summary).toContain('username: "x-bitbucket-api-token-auth"');
    expect(byCred('bb-static').fix.summary).toContain('username: "<your Atlassian account email>"');
    expect(JSON.stringify(doc)).not.toContain('AQAAABAAAAAQ'); // encrypted secrets are not reported as found
  });
});
