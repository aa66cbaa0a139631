/**
 * A ledger entry as stored (`Evidence` of src/core/evidence.ts) and answered by the
 * evidence routes, as a strict zod schema for the OpenAPI description. Requests use the
 * case-file form instead (`EvidenceItem`, schema/evidence-item.schema.json): an occurrence
 * interval is written `occurred: "a/b"`, and `recorded` is set by the server.
 */
import { z } from '@hono/zod-openapi';
import { FINDING_GRADES, RELIABILITIES } from '../core/case-model.ts';
import { ACTION_KINDS, CLAIM_KINDS, type Evidence, FLOW_KINDS } from '../core/evidence.ts';
import type { Assignable, Expect, Wire } from './wire.ts';

const date = z.string().meta({ format: 'date' });

export const EvidenceSourceSchema = z
  .strictObject({
    publisher: z.string(),
    title: z.string(),
    date: z.string(),
    url: z.string().optional(),
    reliability: z.enum(RELIABILITIES).meta({ description: 'Source reliability, A (best) to F.' }),
    credibility: z.number().int().min(1).max(6).meta({ description: 'Information credibility, 1 (best) to 6.' }),
    origin: z.string().optional().meta({ description: 'Shared by copies of one report; defaults to the publisher.' }),
  })
  .openapi('EvidenceSource');

export const LedgerEntrySchema = z
  .strictObject({
    id: z.string(),
    kind: z.string(),
    actors: z.array(z.string()),
    description: z.string(),
    occurred: date.meta({ description: 'First day of the occurrence.' }),
    occurredTo: date.meta({ description: 'Last day of the occurrence (equal to `occurred` for a single day).' }),
    reported: date,
    recorded: date.meta({ description: 'The ledger date, set by the server.' }),
    sources: z.array(EvidenceSourceSchema),
    amount: z.number().optional(),
    currency: z.string().optional(),
    quantity: z.strictObject({ value: z.number(), of: z.number().optional(), unit: z.string().optional() }).optional(),
    tags: z.array(z.string()),
    supersedes: z.string().optional(),
    retracted: z.boolean().optional(),
    note: z.string().optional(),
    action: z.strictObject({ instrument: z.string(), kind: z.enum(ACTION_KINDS) }).optional(),
    claim: z.enum(CLAIM_KINDS).optional(),
    flow: z.strictObject({ kind: z.enum(FLOW_KINDS), payer: z.string(), payee: z.string() }).optional(),
    finding: z.strictObject({ benchmark: z.string(), grade: z.enum(FINDING_GRADES), assessor: z.string() }).optional(),
  })
  .openapi('Evidence', { description: 'A ledger entry: never edited; corrections and retractions supersede it.' });

type _EvidenceIsDescribed = Expect<Assignable<Evidence, Wire<z.output<typeof LedgerEntrySchema>>>>;
