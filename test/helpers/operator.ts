import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { fromBase32, totpCode, totpStepAt } from '../../src/features/auth/totp.js';
import { addOperator } from '../../src/features/operator/operator.service.js';
import { uniqueEmail } from './factories.js';
import type { SignInDriver } from './sign-in.js';
import type { TestApp } from './test-app.js';

export const OPERATOR_PASSWORD = 'operator password for tests';

/** The `Cookie` header of the operator console from a response that set it. */
export function operatorCookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'servelo_operator');
  if (!cookie) throw new Error(`no operator cookie in ${res.statusCode} ${res.body}`);
  return `servelo_operator=${cookie.value}`;
}

/** An operator added like `servelo operator add`, signed in over HTTP with TOTP enrolled: the full session's cookie. */
export async function signedInOperator(
  t: TestApp,
  driver: SignInDriver,
): Promise<{ id: string; email: string; cookie: string; secret: string }> {
  const email = uniqueEmail('ops', 'ops.example.com');
  const { id } = await addOperator(t.deps, { email, password: OPERATOR_PASSWORD }, t.config.teamAuth.argon2);
  const pending = operatorCookieOf(await driver.post('/api/operator/auth/sign-in', { email, password: OPERATOR_PASSWORD }));
  const { secret } = (await driver.post('/api/operator/auth/totp/setup', {}, { cookie: pending })).json<{ secret: string }>();
  const code = totpCode(fromBase32(secret), totpStepAt(t.clock.now()));
  const confirmed = await driver.post('/api/operator/auth/totp/confirm', { code }, { cookie: pending });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return { id, email, cookie: operatorCookieOf(confirmed), secret };
}
