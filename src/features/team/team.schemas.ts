import { z } from 'zod';
import { ZDisplayName } from '../../platform/display-name.js';

export const ZTeamRole = z.enum(['owner', 'admin', 'agent']);
export type TTeamRole = z.infer<typeof ZTeamRole>;

export const ZTeamMemberStatus = z.enum(['active', 'disabled', 'invited']);
export type TTeamMemberStatus = z.infer<typeof ZTeamMemberStatus>;

/** POST /api/team/members — invites a teammate (owner/admin; only an owner invites an owner). */
export const ZAddTeamMemberRequest = z.strictObject({
  email: z.string().max(320),
  name: ZDisplayName(200),
  role: ZTeamRole,
});
export type TAddTeamMemberRequest = z.input<typeof ZAddTeamMemberRequest>;

/** PATCH /api/team/members/{id} — role and status (active | disabled); audited. */
export const ZUpdateTeamMemberRequest = z.strictObject({
  role: ZTeamRole.optional(),
  status: z.enum(['active', 'disabled']).optional(),
});
export type TUpdateTeamMemberRequest = z.infer<typeof ZUpdateTeamMemberRequest>;

export const ZTeamMember = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: ZTeamRole,
  status: ZTeamMemberStatus,
  createdAt: z.string(),
});
export type TTeamMember = z.infer<typeof ZTeamMember>;

export const ZTeamMemberList = z.object({ members: z.array(ZTeamMember) });
export type TTeamMemberList = z.infer<typeof ZTeamMemberList>;

export const ZTeamMemberParams = z.object({ id: z.string().max(100) });
