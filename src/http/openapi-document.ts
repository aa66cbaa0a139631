/**
 * `GET /openapi.json`: the API's OpenAPI 3.1 description, generated from the routes' zod
 * schemas, with the evidence item schema taken from the case-file JSON Schema
 * (schema/evidence-item.schema.json) so requests are described by the very rules case
 * files obey. test/http/openapi-lint.test.ts lints it with Redocly's recommended rules.
 */
import { readFileSync } from 'node:fs';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context.ts';

type SchemaComponents = NonNullable<NonNullable<ReturnType<OpenAPIHono['getOpenAPI31Document']>['components']>['schemas']>;

/** Reads the OpenAPI component for evidence items from the generated JSON Schema, with its `$defs` hoisted. */
export function evidenceItemComponents(schemaPath: string): SchemaComponents {
  const text = readFileSync(schemaPath, 'utf8').replaceAll('#/$defs/', '#/components/schemas/EvidenceItem_');
  const schema: SchemaComponents[string] & { $defs?: SchemaComponents; $schema?: string; $id?: string } = JSON.parse(text);
  const { $defs, $schema: _s, $id: _i, ...item } = schema;
  const out: SchemaComponents = { EvidenceItem: item };
  for (const [k, v] of Object.entries($defs ?? {})) out[`EvidenceItem_${k}`] = v;
  return out;
}

const TAGS = [
  { name: 'auth', description: 'The signed-in user and API tokens' },
  { name: 'cases', description: 'The served cases and their definitions' },
  { name: 'evidence', description: 'The ledger: append-only; corrections and retractions supersede' },
  { name: 'assessments', description: 'Statuses, decisions and verdicts as of a date, and over time' },
  { name: 'briefs', description: 'Briefs for readers' },
  { name: 'events', description: 'Ingested event data' },
  { name: 'watch', description: 'Alerts and the webhooks they are sent to' },
  { name: 'admin', description: 'Users and the audit log' },
];

/** Serves the description of every route registered on `app` (call it after registering them). */
export function registerOpenApiDocument(app: OpenAPIHono<AppEnv>, evidenceItemSchemaPath: string): void {
  const evidenceComponents = evidenceItemComponents(evidenceItemSchemaPath);
  app.get('/openapi.json', (c) => {
    const doc = app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Proviso API',
        version: '0.1.0',
        description:
          'Cases, evidence (append-only: corrections and retractions supersede), assessments as of a date, history, event queries, briefs, alerts. Authenticate with `Authorization: Bearer <token>` (`proviso token create`). Errors have one shape (`Error`): a code, a message and, for 400 and 409, one `Problem` per field.',
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      servers: [{ url: '/', description: 'This server' }],
      tags: TAGS,
      security: [{ bearer: [] }],
    });
    const components = (doc.components ??= {});
    components.securitySchemes = { bearer: { type: 'http', scheme: 'bearer' } };
    components.schemas = { ...(components.schemas ?? {}), ...evidenceComponents };
    return c.json(doc);
  });
}
