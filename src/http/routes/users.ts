/**
 * `GET|POST /api/users`: the server's users (admins only).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../../ports/team-store.ts';
import { ApiError } from '../api-error.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, newId } from '../auth.ts';
import type { ServerDeps } from '../context.ts';
import { LIMITS } from '../input-limits.ts';
import { type ApiApp, authorize, authorizeWrite, E, json, text, WRITE_ERRORS } from './route-kit.ts';

const USER_NAME_RE = /^[A-Za-z0-9._@-]{1,64}$/;

export const UserSchema = z
  .object({ id: z.string(), name: z.string(), role: z.enum(ROLES), created: z.string().openapi({ format: 'date-time' }) })
  .openapi('User');

export function registerUserRoutes(app: ApiApp, deps: ServerDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/users',
      operationId: 'listUsers',
      summary: 'List users',
      tags: ['admin'],
      middleware: authorize('user.manage'),
      responses: { 200: json(z.array(UserSchema), 'Users'), 401: E[401], 403: E[403] },
    }),
    async (c) => c.json(await deps.store.listUsers(), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/users',
      operationId: 'createUser',
      summary: 'Add a user',
      tags: ['admin'],
      middleware: authorizeWrite('user.manage'),
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                name: text(LIMITS.userName)
                  .regex(USER_NAME_RE, { error: `expected 1–${LIMITS.userName} letters, digits or . _ @ -` })
                  .openapi({ pattern: USER_NAME_RE.source }),
                role: z.enum(ROLES),
                password: text(LIMITS.password, {
                  min: { length: MIN_PASSWORD_LENGTH, error: `expected at least ${MIN_PASSWORD_LENGTH} characters` },
                }),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 201: json(UserSchema, 'Created'), ...WRITE_ERRORS, 409: E[409] },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const now = deps.now().toISOString();
      const created = await deps.store.createUser({
        id: newId('usr'),
        name: body.name,
        role: body.role,
        passwordHash: await hashPassword(body.password),
        created: now,
      });
      if (!created.ok)
        throw new ApiError('conflict', `a user named "${body.name}" exists`, {
          problems: [{ code: 'conflict', path: 'name', message: `a user named "${body.name}" exists: choose another name` }],
        });
      await deps.store.recordAudit({
        actor: c.get('caller').user.name,
        action: 'user.add',
        at: now,
        ids: [created.value.id],
        detail: { name: body.name, role: body.role },
      });
      return c.json(created.value, 201);
    },
  );
}
