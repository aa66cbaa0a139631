/**
 * `GET /openapi.json`: the API's OpenAPI 3.1 description, generated from the routes' zod
 * schemas, with the evidence item schema taken from the case-file JSON Schema
 * (schema/evidence-item.schema.json) so requests are described by the very rules case
 * files obey, plus the server's input limits (input-limits.ts: lengths, list sizes, years
 * 1900–2100), which case files do not have. test/http/openapi-lint.test.ts lints it with
 * Redocly's recommended rules.
 */
import { readFileSync } from 'node:fs';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context.ts';
import { EVIDENCE_LIST_RULES, EVIDENCE_TEXT_RULES, LIMITS, SOURCE_TEXT_RULES, YEAR_RANGE } from './input-limits.ts';

type SchemaComponents = NonNullable<NonNullable<ReturnType<OpenAPIHono['getOpenAPI31Document']>['components']>['schemas']>;

/** Reads the OpenAPI component for evidence items from the generated JSON Schema, with its `$defs` hoisted. */
export function evidenceItemComponents(schemaPath: string): SchemaComponents {
  const text = readFileSync(schemaPath, 'utf8').replaceAll('#/$defs/', '#/components/schemas/EvidenceItem_');
  const schema: SchemaComponents[string] & { $defs?: SchemaComponents; $schema?: string; $id?: string } = JSON.parse(text);
  const { $defs, $schema: _s, $id: _i, ...item } = schema;
  const out: SchemaComponents = { EvidenceItem: item };
  for (const [k, v] of Object.entries($defs ?? {})) out[`EvidenceItem_${k}`] = v;
  return withServerFields(withInputLimits(out));
}

/**
 * What the server fills in, so not what a client must send: `recorded` (the server's today)
 * is optional in a request, and a retraction (`EvidenceRetraction`) takes its kind, actors
 * and occurrence from the withdrawn entry, and is `retracted: true` whatever is sent.
 */
function withServerFields(components: SchemaComponents): SchemaComponents {
  const item = child(components, 'EvidenceItem');
  const required = Array.isArray(item.required) ? (item.required as string[]) : [];
  item.required = required.filter((k) => k !== 'recorded');
  const recorded = child(item, 'properties', 'recorded');
  recorded.description =
    'The ledger date: set by the server to its today. Leave it out (or send today’s date: any other is refused).';
  const properties = child(item, 'properties');
  components.EvidenceRetraction = {
    ...item,
    title: 'Proviso evidence retraction',
    description:
      'An entry that withdraws the one in the path: an evidence item whose `kind`, `actors` and `occurred` default to the withdrawn entry’s, `supersedes` to the path’s id and `retracted` to true.',
    properties: {
      ...properties,
      retracted: { const: true, description: 'A retraction is retracted (send a correction to supersede without withdrawing).' },
    },
    required: required.filter((k) => !['recorded', 'kind', 'actors', 'occurred'].includes(k)),
  };
  return components;
}

type Node = Record<string, unknown>;

/** `node[key]` when it is an object (`{}` standing in otherwise, so a missing part changes nothing). */
function child(node: unknown, ...keys: string[]): Node {
  let at: unknown = node;
  for (const key of keys) at = at !== null && typeof at === 'object' ? (at as Node)[key] : undefined;
  return at !== null && typeof at === 'object' ? (at as Node) : {};
}

/** The evidence item components with the limits the server adds to the case-file rules (input-limits.ts). */
function withInputLimits(components: SchemaComponents): SchemaComponents {
  const item = child(components, 'EvidenceItem', 'properties');
  for (const rule of EVIDENCE_TEXT_RULES) {
    const target = child(item, rule.field);
    // `id` and `supersedes` are references to the evidence id definition: limited there.
    if (!('$ref' in target)) target.maxLength = rule.max;
  }
  child(components, 'EvidenceItem_evidenceId').maxLength = LIMITS.evidenceId;
  child(components, 'EvidenceItem_id').maxLength = LIMITS.id;
  for (const rule of EVIDENCE_LIST_RULES) {
    const list = child(item, rule.field);
    list.maxItems = rule.max;
    const items = child(list, 'items');
    if (rule.itemMax !== undefined && !('$ref' in items)) items.maxLength = rule.itemMax;
  }
  const source = child(components, 'EvidenceItem_evidenceSource', 'properties');
  for (const rule of SOURCE_TEXT_RULES) child(source, rule.field).maxLength = rule.max;
  // A source URL is what the WHATWG URL parser takes (the case-file rule), not RFC 3986's
  // `uri`: the two disagree both ways (`http://` is a URI, `https://example.org/é` a URL).
  const url = child(source, 'url');
  delete url.format;
  url.description =
    'A URL as the WHATWG URL standard parses it (`new URL(…)` in JavaScript): `https://example.org/é` is one, `http://` (no host) is not.';
  child(components, 'EvidenceItem_quantity', 'properties', 'unit').maxLength = LIMITS.word;
  const partialDate = child(components, 'EvidenceItem_partialDate');
  const [asText, asYear] = Array.isArray(partialDate.anyOf) ? (partialDate.anyOf as Node[]) : [];
  if (asText !== undefined) asText.pattern = '^(?:19\\d{2}|20\\d{2}|2100)(?:-\\d{2}(?:-\\d{2})?)?$';
  if (asYear !== undefined) Object.assign(asYear, { minimum: YEAR_RANGE.min, maximum: YEAR_RANGE.max });
  partialDate.description = `${String(partialDate.description ?? 'A partial date.')} Through the API: years ${YEAR_RANGE.min} to ${YEAR_RANGE.max}.`;
  return components;
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
