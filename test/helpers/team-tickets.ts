import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TTeamTicketDetail, TTeamTicketList } from '../../src/features/tickets/team-ticket.schemas.js';
import { multipartBody, type PartSpec } from './multipart-upload.js';
import type { TeamApi } from './team-api.js';
import { TEST_ORIGIN, type TestApp } from './test-app.js';

/** Helpers for the team tickets API tests. */

/** A multipart upload to the team app as a member, through inject. */
export function teamUpload(t: TestApp, api: TeamApi, parts: readonly PartSpec[]): Promise<LightMyRequestResponse> {
  const body = multipartBody(parts);
  return t.app.inject({
    method: 'POST',
    url: '/api/team/uploads',
    headers: {
      origin: TEST_ORIGIN,
      'content-type': body.contentType,
      'content-length': String(body.length),
      ...(api.cookie ? { cookie: api.cookie } : {}),
    },
    payload: body.stream(),
  });
}

/** Uploads one small text file as the member and returns its id. */
export async function uploadTextAsTeam(t: TestApp, api: TeamApi, name: string, text: string): Promise<string> {
  const res = await teamUpload(t, api, [{ field: 'files', filename: name, content: Buffer.from(text), contentType: 'text/plain' }]);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ files: { id: string }[] }>().files[0]!.id;
}

export async function listAs(api: TeamApi, query = ''): Promise<TTeamTicketList> {
  const res = await api.get(`/api/team/tickets${query ? `?${query}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TTeamTicketList>();
}

export async function detailAs(api: TeamApi, ticketId: string): Promise<TTeamTicketDetail> {
  const res = await api.get(`/api/team/tickets/${ticketId}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TTeamTicketDetail>();
}
