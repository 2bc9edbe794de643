import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('folder import rules', () => {
  const forbidden: [string, string][] = [
    ['renderer/pages/bad.tsx', "import { readFile } from 'node:fs';"],
    ['renderer/pages/bad.tsx', "import path from 'path';"],
    ['renderer/pages/bad.tsx', "import { ipcRenderer } from 'electron';"],
    ['renderer/pages/bad.tsx', "import { Engine } from '../../app/engine.ts';"],
    ['renderer/pages/bad.tsx', "import { WebSocketServer } from 'ws';"],
    ['app/copy/bad.ts', "import { app } from 'electron';"],
    ['app/copy/bad.ts', "import { App } from '../../renderer/app.tsx';"],
    ['app/copy/bad.ts', "import { x } from '../../main/main.ts';"],
    ['main/bad.ts', "import { Engine } from '../app/engine.ts';"],
    ['shared/domain/bad.ts', "import { createHash } from 'node:crypto';"],
    ['shared/domain/bad.ts', "import React from 'react';"],
    ['shared/domain/bad.ts', "import { Engine } from '../../app/engine.ts';"],
  ];
  for (const [file, code] of forbidden) {
    it(`refuses in ${file}: ${code}`, async () => {
      assert.ok((await restricted(file, code)).length >= 1);
    });
  }

  const allowed: [string, string][] = [
    ['renderer/pages/ok.tsx', "import { z } from 'zod'; import { engineContract } from '../../shared/contract/engine.ts';"],
    ['app/copy/ok.ts', "import { readFile } from 'node:fs/promises'; import { z } from 'zod';"],
    ['main/ok.ts', "import { app } from 'electron'; import { shellContract } from '../shared/contract/shell.ts';"],
    ['shared/domain/ok.ts', "import { z } from 'zod'; import { x } from '../rpc/errors.ts'; import { y } from './domain.ts';"],
  ];
  for (const [file, code] of allowed) {
    it(`allows in ${file}: ${code}`, async () => {
      assert.deepEqual(await restricted(file, code), []);
    });
  }
});
