/**
 * JSON Schema (draft 2020-12) for case files and evidence items, generated from the zod
 * schemas of `case-schema.ts`. `scripts/write-schema.ts` writes them to `schema/`;
 * `schema.test.ts` checks the committed files are up to date.
 *
 * Contract: generation is deterministic (same schemas, same text).
 */
import { z } from 'zod';
import { caseFileSchema, caseFilesRegistry, evidenceItemSchema } from './case-schema.ts';

export interface JsonSchemaFile {
  /** File name under `schema/`. */
  readonly fileName: string;
  /** The file's full text (pretty-printed JSON and a final newline). */
  readonly text: string;
}

const SCHEMA_BASE = 'urn:proviso:schema:';

function generate(schema: z.ZodType, name: string, root: { title: string; description: string }): JsonSchemaFile {
  const generated = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    metadata: caseFilesRegistry,
    unrepresentable: 'throw',
  }) as Record<string, unknown>;
  const { $schema, $defs, ...body } = generated;
  // Key order: identification first, definitions last, so the files read top-down.
  const ordered: Record<string, unknown> = {
    $schema,
    $id: `${SCHEMA_BASE}${name}`,
    ...body,
    title: root.title,
    description: root.description,
    ...($defs === undefined ? {} : { $defs }),
  };
  return { fileName: `${name}.schema.json`, text: `${JSON.stringify(ordered, null, 2)}\n` };
}

/** The schema files, in a fixed order. */
export function generateJsonSchemas(): JsonSchemaFile[] {
  return [
    generate(caseFileSchema, 'case-file', {
      title: 'Proviso case file',
      description:
        'A top-level YAML file of a Proviso case folder: a mapping of sections. Sections of the same name in several files are concatenated; `case` appears exactly once in the folder. References, duplicate ids, calendar dates and CEL are checked by `proviso validate`. See docs/case-format.md.',
    }),
    generate(evidenceItemSchema, 'evidence-item', {
      title: 'Proviso evidence item',
      description:
        'One entry of the evidence ledger: an item of a YAML evidence file (a list, or a mapping with key `evidence`), or one line of a JSONL evidence file. See docs/case-format.md.',
    }),
  ];
}
