import { describe, expect, it } from 'vitest';
import type { TAttachment } from '../../../features/attachments/attachment.schemas.js';
import { hasProcessingFiles, isReadyImage } from './file-urls.js';

const image = (status: TAttachment['status'], scan: TAttachment['scan']): TAttachment => ({
  id: `${status}-${scan}`,
  name: 'boiler.png',
  type: 'image/png',
  size: 10,
  kind: 'image',
  status,
  scan,
  width: 10,
  height: 10,
});

describe('attachments in a ticket page', () => {
  it('shows an image only once it is re-encoded and, with a scanner, found clean', () => {
    expect(isReadyImage(image('ready', 'not_scanned'))).toBe(true);
    expect(isReadyImage(image('ready', 'clean'))).toBe(true);
    expect(isReadyImage(image('ready', 'pending'))).toBe(false);
    expect(isReadyImage(image('ready', 'infected'))).toBe(false);
  });

  it('asks again while a file is being checked or re-encoded, and stops for a file removed as infected', () => {
    const page = (a: TAttachment) => [{ attachments: [a] }];
    expect(hasProcessingFiles(page(image('ready', 'pending')))).toBe(true);
    expect(hasProcessingFiles(page(image('processing', 'clean')))).toBe(true);
    expect(hasProcessingFiles(page(image('processing', 'infected')))).toBe(false);
    expect(hasProcessingFiles(page(image('ready', 'clean')))).toBe(false);
  });
});
