import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A manager of a child process this instance runs (a sidecar binary, an identity provider) keeps a
// flag so two admin requests do not restart it at once: the guarded work stops the child (`kill`)
// and spawns it again, through methods of its class. Each instance runs its own child, so refusing a
// second restart here is all the exclusion it needs. The look-alike that stays reported: the same
// flag around a conversion that spawns a converter for an uploaded file and kills nothing (a job
// two instances run twice).

afterAll(removeAnalysedProjects);

const manager = (restart: string) => `import { spawn, type ChildProcess } from 'node:child_process';
import { writeSidecarConfig } from './config';

class SidecarManager {
  private child: ChildProcess | null = null;
  private restarting = false;

  async restart(): Promise<void> {
    if (this.restarting) return;
    this.restarting = true;
    try {
${restart}
    } finally {
      this.restarting = false;
    }
  }

  private async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    child?.kill('SIGTERM');
  }

  private async launch(): Promise<void> {
    const configPath = await writeSidecarConfig();
    this.child = spawn('/usr/local/bin/sidecar', ['serve', configPath], { stdio: 'ignore' });
  }

  private async convert(file: string): Promise<void> {
    const converter = spawn('/usr/bin/convert', [file, file + '.png']);
    await new Promise((resolve) => converter.once('exit', resolve));
  }
}

export const sidecar = new SidecarManager();
`;

const files = (restart: string) => ({
  'sidecar.ts': manager(restart),
  'config.ts': `import { writeFile } from 'node:fs/promises';
export async function writeSidecarConfig(): Promise<string> {
  await writeFile('/tmp/sidecar.yaml', 'issuer: local');
  return '/tmp/sidecar.yaml';
}
`,
  'routes.ts': `import express from 'express';
import { sidecar } from './sidecar';

const app = express();
app.patch('/admin/sso', async (req, res) => {
  await sidecar.restart();
  res.end();
});
app.listen(3000);
`,
});

const RESTART = `      await this.stop();
      await this.launch();`;
const CONVERSION = `      await this.convert('/srv/uploads/latest');`;

const RULES = ['no-in-process-lock'];
const REPORTED = [
  '6:11 no-in-process-lock: `restarting` guards work only within this process; it is taken by PATCH /admin/sso (routes.ts:5). A request on another instance does not see it and runs the same work at the same time.',
];

describe("a flag around the restart of this instance's own child process", () => {
  it('stop (kill) and spawn again: quiet (typed)', () => {
    expect(typedFindings(files(RESTART), 'sidecar.ts', RULES)).toEqual([]);
  });

  it('stop (kill) and spawn again: quiet (untyped)', () => {
    expect(untypedFindings(files(RESTART), 'sidecar.ts', RULES)).toEqual([]);
  });

  it('a converter spawned for an upload, nothing killed: reported (typed)', () => {
    expect(typedFindings(files(CONVERSION), 'sidecar.ts', RULES)).toEqual(REPORTED);
  });

  it('a converter spawned for an upload, nothing killed: reported (untyped)', () => {
    expect(untypedFindings(files(CONVERSION), 'sidecar.ts', RULES)).toEqual(REPORTED);
  });
});
