/**
 * `/api/webhooks`: URLs that receive alerts as signed POSTs (admins only). The signing
 * secret is shown once, when registered. Which URLs are accepted: webhook-url.ts (http(s),
 * no whitespace or control characters, no loopback or private address unless the server
 * allows them).
 */
import { z } from '@hono/zod-openapi';
import { notFound } from '../api-error.ts';
import { newId, newSecret } from '../auth.ts';
import type { ServerDeps } from '../context.ts';
import { LIMITS } from '../input-limits.ts';
import { webhookUrlProblem } from '../webhook-url.ts';
import { type ApiApp, collectionRoutes, text, WRITE_ERRORS } from './route-kit.ts';

const WebhookSchema = z
  .object({ id: z.string(), url: z.string(), created: z.string().openapi({ format: 'date-time' }) })
  .openapi('Webhook');

export function registerWebhookRoutes(app: ApiApp, deps: ServerDeps): void {
  const webhooks = collectionRoutes('/api/webhooks', 'watch');
  const allowPrivate = deps.allowPrivateWebhooks === true;

  app.openapi(
    webhooks.list({
      operationId: 'listWebhooks',
      summary: 'List webhooks',
      action: 'webhook.manage',
      item: WebhookSchema,
      listed: 'Configured webhooks (secrets are not shown)',
    }),
    async (c) =>
      c.json(
        (await deps.store.webhooks()).map((w) => ({ id: w.id, url: w.url, created: w.created })),
        200,
      ),
  );

  app.openapi(
    webhooks.create({
      operationId: 'createWebhook',
      summary: 'Register a webhook',
      description:
        'Register a URL to receive alerts as signed POSTs. The signing secret is shown once; each request carries `X-Proviso-Signature: sha256=HMAC(secret, "<X-Proviso-Timestamp>.<body>")`.',
      action: 'webhook.manage',
      body: z.object({
        url: text(LIMITS.url, { nulRefusedElsewhere: true })
          .superRefine((url, ctx) => {
            const problem = webhookUrlProblem(url, allowPrivate);
            if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: url });
          })
          .openapi({
            format: 'uri',
            pattern: '^https?://[^\\s\\x00-\\x1f\\x7f-\\x9f]+$',
            description: allowPrivate
              ? 'An http(s) URL, written without whitespace or control characters.'
              : 'An http(s) URL, written without whitespace or control characters, whose host is not `localhost` or a loopback, private or link-local address (unless the server is started with `--allow-private-webhooks`).',
          }),
      }),
      created: WebhookSchema.extend({ secret: z.string() }).openapi('NewWebhook'),
      createdText: 'Registered (secret shown once)',
      errors: WRITE_ERRORS,
    }),
    async (c) => {
      const { url } = c.req.valid('json');
      const now = deps.now().toISOString();
      const hook = { id: newId('whk'), url, secret: newSecret(), created: now };
      await deps.store.addWebhook(hook);
      await deps.store.recordAudit({
        actor: c.get('caller').user.name,
        action: 'webhook.add',
        at: now,
        ids: [hook.id],
        detail: { url },
      });
      return c.json(hook, 201);
    },
  );

  app.openapi(
    webhooks.remove({
      operationId: 'removeWebhook',
      summary: 'Remove a webhook',
      action: 'webhook.manage',
      result: z.object({ removed: z.string() }),
      text: 'Removed',
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await deps.store.removeWebhook(id))) throw notFound(`no webhook "${id}"`);
      await deps.store.recordAudit({
        actor: c.get('caller').user.name,
        action: 'webhook.remove',
        at: deps.now().toISOString(),
        ids: [id],
      });
      return c.json({ removed: id }, 200);
    },
  );
}
