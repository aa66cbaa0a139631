/**
 * The server's socket, as `proviso serve` opens it (`realServerEffects().listen`): closing it
 * while a keep-alive request is still being answered does not wait for that connection's
 * keep-alive timeout (5 s in Node) once the answer is sent. Before, a stop with such a
 * request in flight took over 5 s; the test's own limit (4 s) catches that.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { realEffects, realServerEffects } from '../../src/cli/main.ts';

describe('the server socket of proviso serve', () => {
  it('closes once a keep-alive request in flight is answered, without waiting for the keep-alive timeout', {
    timeout: 4000,
  }, async () => {
    const effects = realServerEffects({ ...realEffects(), stdout: () => {}, stderr: () => {} });
    let release: () => void = () => {};
    const answered = new Promise<void>((r) => {
      release = r;
    });
    let started: () => void = () => {};
    const inFlight = new Promise<void>((r) => {
      started = r;
    });
    const listening = await effects.listen(
      async () => {
        started();
        await answered;
        return new Response('ok');
      },
      0,
      '127.0.0.1',
    );
    const agent = new http.Agent({ keepAlive: true });
    const body = new Promise<string>((resolve, reject) => {
      http
        .get(`${listening.url}/x`, { agent }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    await inFlight;
    const closed = listening.close();
    release();
    assert.equal(await body, 'ok', 'the request in flight is answered');
    await closed;
    agent.destroy();
  });
});
