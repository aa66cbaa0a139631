import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateJsonSchemas } from './json-schema.ts';

const schemaDir = fileURLToPath(new URL('../../../schema/', import.meta.url));

describe('committed JSON Schema files', () => {
  for (const file of generateJsonSchemas()) {
    it(`schema/${file.fileName} matches the zod schemas`, async () => {
      const committed = await readFile(join(schemaDir, file.fileName), 'utf8').catch(() => undefined);
      assert.ok(committed !== undefined, `schema/${file.fileName} is missing: run \`npm run schema:update\``);
      assert.equal(
        committed,
        file.text,
        `schema/${file.fileName} is out of date with src/adapters/case-files/case-schema.ts: run \`npm run schema:update\` and commit the result`,
      );
    });
  }

  it('declares draft 2020-12, an $id, a title and a description', () => {
    for (const file of generateJsonSchemas()) {
      const schema = JSON.parse(file.text) as Record<string, unknown>;
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
      assert.equal(typeof schema.$id, 'string');
      assert.equal(typeof schema.title, 'string');
      assert.equal(typeof schema.description, 'string');
    }
  });
});
