import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { discardRequestBody, multipartParts, requireUploadLength } from '../../platform/http/multipart.js';
import { sendStoredObject } from '../../platform/http/send-stored-object.js';
import { presentAttachment } from './attachment.presenter.js';
import { ZFileParams, ZFileQuery, ZUploadResponse } from './attachment.schemas.js';
import { getViewableFile, servedVariant, type FileViewer } from './file-access.service.js';
import { removeContactPhoto, replaceContactPhoto } from './profile-photo.service.js';
import { receiveUpload } from './upload.service.js';

const ZSlugParams = z.object({ slug: z.string() });
const ZPhotoResponse = z.object({ photoFileId: z.string().nullable() });
const TAGS = ['portal files'];
/** Uploads per address and minute: room for a customer sending dozens of photos (one request per file), not for a flood. */
const UPLOAD_RATE = { rateLimit: { max: 120, timeWindow: 60_000 } };

export interface PortalFileRouteOptions {
  readonly deps: Deps;
  readonly config: Config;
  /** The signed-in customer with the ticket rules wired in (http/portal-surface.ts `portalFileViewerOf`, wired in app.ts). */
  readonly viewerOf: (request: FastifyRequest) => Promise<Omit<FileViewer, 'kind' | 'id'> & { readonly contactId: string }>;
  /**
   * Counts an upload against the customer's limits (tickets/portal-ticket-limits.http.ts, wired in
   * app.ts) and answers their byte limits. @throws CUSTOMER_LIMIT_REACHED
   */
  readonly checkUploadLimit: (request: FastifyRequest) => Promise<{ readonly unsentBytes: number; readonly dailyBytes: number }>;
}

/**
 * Uploads, downloads and the profile photo of the customer portal (SECURITY.md §5). Registered
 * inside the portal surface's signed-in routes: signed out is 401 before anything is read, and
 * answers are no-store unless a route says otherwise (downloads revalidate).
 */
export function registerPortalFileRoutes(portal: FastifyInstance, options: PortalFileRouteOptions): void {
  const { deps, config } = options;
  const typed = portal.withTypeProvider<ZodTypeProvider>();
  const limits = { maxFiles: config.files.maxFilesPerUpload, maxFileBytes: config.files.maxFileBytes };
  const fileViewerOf = async (request: FastifyRequest): Promise<FileViewer> => {
    const viewer = await options.viewerOf(request);
    return { ...viewer, kind: 'contact', id: viewer.contactId };
  };

  /** Runs an upload; a refused one has its remaining body drained so the client reads the error. */
  const receiving = async <T>(request: FastifyRequest, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      discardRequestBody(request);
      throw error;
    }
  };

  typed.post(
    '/api/uploads',
    {
      config: UPLOAD_RATE,
      schema: {
        tags: TAGS,
        summary: 'Upload up to 10 files of 10 MB (multipart/form-data, field "files"); attach them by id to a new ticket or a reply',
        params: ZSlugParams,
        response: { 201: ZUploadResponse },
      },
    },
    async (request, reply) => {
      const viewer = await fileViewerOf(request);
      requireUploadLength(request, reply, limits);
      const customer = await receiving(request, () => options.checkUploadLimit(request));
      const files = await receiving(request, () =>
        receiveUpload(deps, { tenantId: viewer.tenantId, kind: 'contact', id: viewer.id }, multipartParts(request, limits), {
          purpose: 'attachment',
          fieldName: 'files',
          limits: { ...limits, tenantQuotaBytes: config.files.tenantQuotaBytes, customer },
          queueImageProcessing: true,
        }),
      );
      deps.wakeWorker();
      return reply.code(201).send({ files: files.map(presentAttachment) });
    },
  );

  typed.get(
    '/api/files/:id',
    { schema: { tags: TAGS, summary: 'Download a file (Range and ETag supported)', params: ZFileParams, querystring: ZFileQuery } },
    async (request, reply) => {
      const viewer = await fileViewerOf(request);
      const file = await getViewableFile(deps, viewer, request.params.id);
      return sendStoredObject(request, reply, deps.files, servedVariant(file, request.query.variant));
    },
  );

  typed.put(
    '/api/me/photo',
    {
      config: UPLOAD_RATE,
      schema: {
        tags: TAGS,
        summary: 'Set the profile photo (multipart/form-data, one image in field "photo"); re-encoded to at most 512×512',
        params: ZSlugParams,
        response: { 200: ZPhotoResponse },
      },
    },
    async (request, reply) => {
      const viewer = await fileViewerOf(request);
      const photoLimits = { maxFiles: 1, maxFileBytes: limits.maxFileBytes };
      requireUploadLength(request, reply, photoLimits);
      const photoFileId = await receiving(request, () =>
        replaceContactPhoto(deps, { tenantId: viewer.tenantId, id: viewer.id }, multipartParts(request, photoLimits), {
          maxFileBytes: limits.maxFileBytes,
          tenantQuotaBytes: config.files.tenantQuotaBytes,
        }),
      );
      return { photoFileId };
    },
  );

  typed.delete(
    '/api/me/photo',
    { schema: { tags: TAGS, summary: 'Remove the profile photo', params: ZSlugParams, response: { 200: ZPhotoResponse } } },
    async (request) => {
      const viewer = await fileViewerOf(request);
      await removeContactPhoto(deps, { tenantId: viewer.tenantId, id: viewer.id });
      return { photoFileId: null };
    },
  );
}
