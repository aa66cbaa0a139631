/**
 * `/api/tokens`: API tokens. Anyone lists their own; analysts and admins create and revoke
 * their own; admins also name another user (`token.any`). A token is shown once, when
 * created; the store keeps only its hash.
 */
import { z } from '@hono/zod-openapi';
import { notFound } from '../api-error.ts';
import { can, newApiToken, newId, sha256Hex } from '../auth.ts';
import type { ServerDeps } from '../context.ts';
import { LIMITS } from '../input-limits.ts';
import { type ApiApp, assertCan, collectionRoutes, E, text, WRITE_ERRORS } from './route-kit.ts';

const TokenSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    created: z.string().openapi({ format: 'date-time' }),
    revoked: z.string().optional().openapi({ format: 'date-time' }),
  })
  .openapi('ApiToken');

export function registerTokenRoutes(app: ApiApp, deps: ServerDeps): void {
  const tokens = collectionRoutes('/api/tokens', 'auth');

  app.openapi(
    tokens.create({
      operationId: 'createToken',
      summary: 'Create an API token',
      description: 'Create an API token (for yourself; admins may name another user). The token is shown once, in this response.',
      action: 'token.own',
      body: z.object({ name: text(LIMITS.tokenName).min(1), user: text(LIMITS.userName).optional() }),
      created: z.object({ token: z.string(), id: z.string(), user: z.string(), name: z.string() }).openapi('NewApiToken'),
      createdText: 'The token (shown once)',
      errors: { ...WRITE_ERRORS, 404: E[404] },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const caller = c.get('caller');
      const other = body.user !== undefined && body.user !== caller.user.name ? body.user : undefined;
      if (other !== undefined) assertCan(caller, 'token.any');
      const owner = other === undefined ? caller.user : await deps.store.findUserByName(other);
      if (owner === undefined) throw notFound(`no user "${other}"`);
      const token = newApiToken();
      const now = deps.now().toISOString();
      const stored = await deps.store.createToken({
        id: newId('tok'),
        userId: owner.id,
        name: body.name,
        tokenHash: sha256Hex(token),
        created: now,
      });
      await deps.store.recordAudit({
        actor: caller.user.name,
        action: 'token.create',
        at: now,
        ids: [stored.id],
        detail: { user: owner.name, name: body.name },
      });
      return c.json({ token, id: stored.id, user: owner.name, name: body.name }, 201);
    },
  );

  app.openapi(
    tokens.list({
      operationId: 'listTokens',
      summary: 'List your API tokens',
      description: 'Your API tokens (never the tokens themselves: they are stored hashed).',
      action: 'read',
      item: TokenSchema,
      listed: 'Tokens, revoked ones included',
    }),
    async (c) => c.json(await deps.store.listTokens(c.get('caller').user.id), 200),
  );

  app.openapi(
    tokens.remove({
      operationId: 'revokeToken',
      summary: 'Revoke an API token',
      action: 'token.own',
      result: z.object({ revoked: z.string() }),
      text: 'Revoked',
    }),
    async (c) => {
      const caller = c.get('caller');
      const { id } = c.req.valid('param');
      const own = (await deps.store.listTokens(caller.user.id)).some((t) => t.id === id);
      if (!own && !can(caller.user.role, 'token.any')) throw notFound(`no token "${id}" of yours`);
      const now = deps.now().toISOString();
      if (!(await deps.store.revokeToken(id, now))) throw notFound(`no active token "${id}"`);
      await deps.store.recordAudit({ actor: caller.user.name, action: 'token.revoke', at: now, ids: [id] });
      return c.json({ revoked: id }, 200);
    },
  );
}
