/**
 * `GET /api/me`: who the request is signed in as, and how.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { type ApiApp, authorize, E, json } from './route-kit.ts';
import { UserSchema } from './users.ts';

export function registerMeRoutes(app: ApiApp): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/me',
      operationId: 'getMe',
      summary: 'Show the signed-in user',
      tags: ['auth'],
      middleware: authorize('read'),
      responses: {
        200: json(z.object({ user: UserSchema, via: z.enum(['token', 'session']) }), 'The signed-in user'),
        401: E[401],
      },
    }),
    (c) => {
      const caller = c.get('caller');
      return c.json({ user: caller.user, via: caller.via }, 200);
    },
  );
}
