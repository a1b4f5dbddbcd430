import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { discardRequestBody, multipartParts, requireUploadLength } from '../../platform/http/multipart.js';
import { sendStoredObject } from '../../platform/http/send-stored-object.js';
import { presentAttachment } from './attachment.presenter.js';
import { ZFileQuery, ZUploadResponse } from './attachment.schemas.js';
import { getViewableFile, servedVariant, type FileViewer } from './file-access.service.js';
import { receiveUpload } from './upload.service.js';

const ZTeamFileParams = z.object({ id: z.string().max(64) });
const TAGS = ['team files'];
/** As in the portal: room for dozens of files a minute (one request per file), not for a flood. */
const UPLOAD_RATE = { rateLimit: { max: 120, timeWindow: 60_000 } };

export interface TeamFileRouteOptions {
  readonly deps: Deps;
  readonly config: Config;
  /** The signed-in team member (`request.teamViewer` of the team surface, wired in app.ts). */
  readonly viewerOf: (request: FastifyRequest) => Promise<{ readonly tenant: { readonly id: string }; readonly memberId: string }>;
}

/**
 * Uploads and downloads of the team app (`/api/team/uploads`, `/api/team/files/{id}`), with the
 * portal's limits and checks (SECURITY.md §5). A member sees every file of the organisation's
 * tickets (internal notes' too), every contact's profile photo, and their own unattached uploads;
 * another member's unattached upload, or anything of another organisation, is FILE_NOT_FOUND.
 * Registered inside the team surface's signed-in routes (401 before anything is read; no-store).
 */
export function registerTeamFileRoutes(app: FastifyInstance, options: TeamFileRouteOptions): void {
  const { deps, config } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const limits = { maxFiles: config.files.maxFilesPerUpload, maxFileBytes: config.files.maxFileBytes };
  const fileViewerOf = async (request: FastifyRequest): Promise<FileViewer> => {
    const viewer = await options.viewerOf(request);
    return {
      tenantId: viewer.tenant.id,
      kind: 'team_member',
      id: viewer.memberId,
      // Every ticket of the organisation is the team's; the file row is already scoped to it.
      canSeeMessage: async () => true,
      seesContactPhotos: true,
    };
  };

  typed.post(
    '/api/team/uploads',
    {
      config: UPLOAD_RATE,
      schema: {
        tags: TAGS,
        summary:
          'Upload up to 10 files of 10 MB (multipart/form-data, field "files"); attach them by id to a reply, a note or a new ticket',
        response: { 201: ZUploadResponse },
      },
    },
    async (request, reply) => {
      const viewer = await fileViewerOf(request);
      requireUploadLength(request, reply, limits);
      let files;
      try {
        files = await receiveUpload(
          deps,
          { tenantId: viewer.tenantId, kind: 'team_member', id: viewer.id },
          multipartParts(request, limits),
          {
            purpose: 'attachment',
            fieldName: 'files',
            limits: { ...limits, tenantQuotaBytes: config.files.tenantQuotaBytes },
            queueImageProcessing: true,
          },
        );
      } catch (error) {
        // A refused upload has its remaining body drained so the client reads the error.
        discardRequestBody(request);
        throw error;
      }
      deps.wakeWorker();
      return reply.code(201).send({ files: files.map(presentAttachment) });
    },
  );

  typed.get(
    '/api/team/files/:id',
    {
      schema: { tags: TAGS, summary: 'Download a file (Range and ETag supported)', params: ZTeamFileParams, querystring: ZFileQuery },
    },
    async (request, reply) => {
      const viewer = await fileViewerOf(request);
      const file = await getViewableFile(deps, viewer, request.params.id);
      return sendStoredObject(request, reply, deps.files, servedVariant(file, request.query.variant));
    },
  );
}
