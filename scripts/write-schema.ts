/**
 * Writes the JSON Schema files in `schema/` from the zod schemas of the case-files adapter.
 * Run with `npm run schema:update` (or `npx tsx scripts/write-schema.ts`) after changing
 * `src/adapters/case-files/case-schema.ts`; `schema.test.ts` fails until you do.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateJsonSchemas } from '../src/adapters/case-files/json-schema.ts';
import { assessmentJsonSchemaText } from '../src/http/assessment-schema.ts';

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema');

await mkdir(schemaDir, { recursive: true });
for (const file of generateJsonSchemas()) {
  const path = join(schemaDir, file.fileName);
  await writeFile(path, file.text, 'utf8');
  console.log(`wrote ${relative(process.cwd(), path)}`);
}

const assessmentPath = join(schemaDir, 'assessment.schema.json');
await writeFile(assessmentPath, assessmentJsonSchemaText(), 'utf8');
console.log(`wrote ${relative(process.cwd(), assessmentPath)}`);
