import type { LightMyRequestResponse } from 'fastify';
import { addTeamMember, type TeamMember } from '../../src/features/team/team.service.js';
import { createTenantGraph, type TenantGraph } from './factories.js';
import { SAME_ORIGIN_JSON, type TestApp } from './test-app.js';
import { teamCookieFor } from './team-sign-in.js';

/** Requests to the team API as one signed-in member (or as nobody, without a cookie). */
export interface TeamApi {
  /** The `Cookie` header value, for requests built by hand (multipart uploads). */
  readonly cookie: string | undefined;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload: unknown): Promise<LightMyRequestResponse>;
  put(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export function teamApi(t: TestApp, cookie: string | undefined): TeamApi {
  const headers = (json: boolean) => ({
    ...(json ? SAME_ORIGIN_JSON : { origin: SAME_ORIGIN_JSON.origin }),
    ...(cookie ? { cookie } : {}),
  });
  const write =
    (method: 'POST' | 'PATCH' | 'PUT') =>
    (url: string, payload: unknown = {}) =>
      t.app.inject({ method, url, headers: headers(true), payload: payload as object });
  return {
    cookie,
    get: (url) => t.app.inject({ method: 'GET', url, headers: headers(false) }),
    post: write('POST'),
    patch: write('PATCH'),
    put: write('PUT'),
    delete: (url) => t.app.inject({ method: 'DELETE', url, headers: headers(false) }),
  };
}

/** A tenant graph (its member is an agent) plus an owner and an admin, each with a team API. */
export interface TeamTenant {
  readonly g: TenantGraph;
  readonly owner: TeamMember;
  readonly admin: TeamMember;
  readonly as: { readonly owner: TeamApi; readonly admin: TeamApi; readonly agent: TeamApi };
}

export async function createTeamTenant(t: TestApp, overrides: { name?: string } = {}): Promise<TeamTenant> {
  const g = await createTenantGraph(t.deps, overrides);
  const add = (role: 'owner' | 'admin') =>
    addTeamMember(t.deps, g.tenant.id, { email: `${role}-${g.tenant.slug}@team.example.com`, name: `${role} of ${g.tenant.slug}`, role });
  const owner = await add('owner');
  const admin = await add('admin');
  const api = async (memberId: string) => teamApi(t, await teamCookieFor(t, g.tenant.id, memberId));
  return { g, owner, admin, as: { owner: await api(owner.id), admin: await api(admin.id), agent: await api(g.member.id) } };
}
