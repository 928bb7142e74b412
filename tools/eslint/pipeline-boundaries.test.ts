// The import-boundary rule: the pipeline's one-way imports and adapter choice, checked on sample imports.
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, it } from 'vitest';
import { pipelineBoundaries } from './pipeline-boundaries.js';

// RuleTester looks for mocha-style hooks; hand it vitest's.
Object.assign(RuleTester, { afterAll, describe, it });

const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2024, sourceType: 'module' },
});
const at = (file: string): string => `/repo/src/${file}`;

tester.run('pipeline-boundaries', pipelineBoundaries, {
  valid: [
    {
      filename: at('normalize/hl7v2/map-adt.ts'),
      code: "import { parseHl7 } from '../../inbound/hl7v2/parse-hl7.ts';",
    },
    {
      filename: at('review/task-routes.ts'),
      code: "import type { TaskStore } from '../platform/store/task-store.ts';",
    },
    {
      filename: at('extract/rules/x.ts'),
      code: "import type { Terminology } from '../../terminology/terminology.ts';",
    },
    {
      filename: at('main.ts'),
      code: "import { openSqliteStore } from './platform/store/sqlite/sqlite-store.ts';",
    },
    { filename: at('cli/main.ts'), code: "import { startEngine } from '../main.ts';" },
    { filename: at('platform/store/sqlite/sqlite-store.ts'), code: "import { x } from './migrations.ts';" },
    { filename: at('kernel/index.ts'), code: "export * from './result.ts';" },
    { filename: at('main.test.ts'), code: "import { startEngine } from './main.ts';" },
  ],
  invalid: [
    {
      filename: at('inbound/mllp/x.ts'),
      code: "import { y } from '../../review/task-routes.ts';",
      errors: [{ messageId: 'upstream' }],
    },
    {
      filename: at('checks/x.ts'),
      code: "import { y } from '../outbound/send.ts';",
      errors: [{ messageId: 'upstream' }],
    },
    {
      filename: at('extract/rules/x.ts'),
      code: "import { y } from '../../terminology/starter-terminology.ts';",
      errors: [{ messageId: 'upstream' }],
    },
    {
      filename: at('review/x.ts'),
      code: "import { y } from '../platform/store/sqlite/sqlite-store.ts';",
      errors: [{ messageId: 'adapter' }],
    },
    {
      filename: at('platform/store/postgres/x.ts'),
      code: "import { y } from '../sqlite/sqlite-store.ts';",
      errors: [{ messageId: 'adapter' }],
    },
    {
      filename: at('kernel/x.ts'),
      code: "import { y } from '../platform/store/store.ts';",
      errors: [{ messageId: 'kernel' }],
    },
    {
      filename: at('review/x.ts'),
      code: "import { y } from '../main.ts';",
      errors: [{ messageId: 'composer' }],
    },
    {
      filename: at('platform/store/store.ts'),
      code: "import { y } from '../../review/x.ts';",
      errors: [{ messageId: 'upstream' }],
    },
  ],
});
