import { z } from 'zod';

export const ZTeamRole = z.enum(['owner', 'admin', 'agent']);
export type TTeamRole = z.infer<typeof ZTeamRole>;

export const ZAddTeamMemberRequest = z.strictObject({
  email: z.string().max(320),
  name: z.string().trim().min(1, { error: 'is required' }).max(200),
  role: ZTeamRole,
});
export type TAddTeamMemberRequest = z.input<typeof ZAddTeamMemberRequest>;
